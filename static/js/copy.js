/* Copy buttons: a button with data-copy="ID" copies the text of the element ID (a survey
   link) to the clipboard and says so. Without JavaScript (or without the clipboard API)
   the buttons stay hidden and the link is plain, selectable text. */
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) { return; }
  var status = document.getElementById("copy-status");

  function copy(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var label = button.textContent;
      button.textContent = button.getAttribute("data-copied") || label;
      if (status) { status.textContent = button.textContent; }
      window.setTimeout(function () { button.textContent = label; }, 2000);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
}());
