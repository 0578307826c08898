/* Initiative pickers: every text field marked data-initiative-search (the address of the
   organization's search endpoint) gets suggestions in its <datalist> as one types, each
   reading "#123 Title" (the field takes that, the number or an exact title). Without
   JavaScript the field is a plain text input that the server reads the same way. */
(function () {
  "use strict";
  var DELAY = 200;   /* ms after the last key before asking */

  function fill(list, items) {
    list.textContent = "";
    items.forEach(function (item) {
      var option = document.createElement("option");
      option.value = "#" + item.id + " " + item.title;
      list.appendChild(option);
    });
  }

  function enhance(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    if (!list) { return; }
    input.addEventListener("input", function () {
      var text = input.value.trim();
      window.clearTimeout(timer);
      if (!text || text === asked || /^#\d+ /.test(text)) { return; }   /* picked one */
      timer = window.setTimeout(function () {
        asked = text;
        var url = input.dataset.initiativeSearch + "?limit=20&q=" + encodeURIComponent(text);
        fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
          .then(function (response) { return response.ok ? response.json() : {items: []}; })
          .then(function (answer) { if (asked === text) { fill(list, answer.items || []); } })
          .catch(function () { /* no suggestions: the field still takes a number or title */ });
      }, DELAY);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-initiative-search]"),
                               enhance);
}());
