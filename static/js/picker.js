/* Search-as-you-type picker: enhances every element marked data-picker, either a <select>
   (multiple or single) or a checkbox list (a fieldset or div of <label>s holding
   checkboxes), with a filter box that hides the choices not matching what is typed and,
   when several may be chosen, the chosen ones as chips with a remove button. The select or
   the checkboxes stay the form fields (labels, names and values unchanged), so without
   JavaScript the page shows the plain control. Texts come from data attributes translated
   by the page: data-filter-label ("Filter"), data-remove-label ("Remove {name}"),
   data-count-label ("{count} shown"). */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  /* The choices of a picker: each with its text, its element to hide, and its state. */
  function choicesOf(control) {
    if (control.tagName === "SELECT") {
      return Array.prototype.map.call(control.options, function (option) {
        return {text: option.text, nodes: [option], input: option,
                chosen: function () { return option.selected; },
                drop: function () { option.selected = false; }};
      });
    }
    return Array.prototype.filter.call(control.querySelectorAll("label"), function (label) {
      return label.querySelector("input[type=checkbox]");
    }).map(function (label) {
      var box = label.querySelector("input[type=checkbox]");
      var nodes = [label];
      if (label.nextElementSibling && label.nextElementSibling.tagName === "BR") {
        nodes.push(label.nextElementSibling);
      }
      return {text: label.textContent, nodes: nodes, input: box,
              chosen: function () { return box.checked; },
              drop: function () { box.checked = false; }};
    });
  }

  function nameOf(control) {
    var legend = control.querySelector("legend");
    var label = control.id && document.querySelector('label[for="' + control.id + '"]');
    return (legend || label || {textContent: ""}).textContent.trim();
  }

  function filterBox(control, choices, status) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "picker-filter";
    if (control.id) {
      input.id = control.id + "-filter";
      input.setAttribute("aria-controls", control.id);
    }
    input.placeholder = control.dataset.filterLabel || "Filter";
    input.setAttribute("aria-label", input.placeholder + " " + nameOf(control));
    input.addEventListener("input", function () {
      var query = fold(input.value);
      var shown = 0;
      choices.forEach(function (choice) {
        var match = !query || fold(choice.text).indexOf(query) !== -1;
        choice.nodes.forEach(function (node) { node.hidden = !match; });
        if (match) { shown += 1; }
      });
      status.textContent = query ? (control.dataset.countLabel || "{count} shown")
        .replace("{count}", shown) : "";
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }   /* filter, never submit */
    });
    return input;
  }

  function renderChips(control, choices, chips) {
    chips.textContent = "";
    choices.filter(function (choice) { return choice.chosen(); }).forEach(function (choice) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      var text = choice.text.trim();
      button.type = "button";
      button.className = "chip";
      button.textContent = text + " ×";
      button.setAttribute("aria-label", (control.dataset.removeLabel || "Remove {name}")
                          .replace("{name}", text));
      button.addEventListener("click", function () {
        choice.drop();
        control.dispatchEvent(new Event("change", {bubbles: true}));
        choice.input.focus();
      });
      item.appendChild(button);
      chips.appendChild(item);
    });
  }

  function enhance(control) {
    var choices = choicesOf(control);
    var status = document.createElement("span");
    status.className = "picker-count note";
    status.setAttribute("aria-live", "polite");
    var box = filterBox(control, choices, status);
    var tools = document.createElement("div");
    tools.className = "picker";
    tools.appendChild(box);
    tools.appendChild(status);
    var legend = control.tagName === "SELECT" ? null : control.querySelector("legend");
    if (legend) {
      legend.insertAdjacentElement("afterend", tools);
    } else {
      control.parentNode.insertBefore(tools, control);
    }
    if (control.tagName !== "SELECT" || control.multiple) {
      var chips = document.createElement("ul");
      chips.className = "picker-chips";
      chips.setAttribute("aria-label", nameOf(control));
      (control.tagName === "SELECT" ? control.parentNode : control)
        .insertBefore(chips, control.tagName === "SELECT" ? control.nextSibling : tools.nextSibling);
      control.addEventListener("change", function (event) {
        if (event.target !== box) { renderChips(control, choices, chips); }   /* not the filter */
      });
      renderChips(control, choices, chips);
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-picker]"), enhance);
}());
