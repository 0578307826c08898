/* The initiative form's expected uplifts (templates/decide/form.html): any number of rows,
   one shown blank at a time. Without JavaScript the page shows a few blank rows and its
   "Add a row" button sends the form back with more, nothing saved. With it, the blank rows
   but the first are hidden and "Add a row" shows the next one (sending the form only when
   none is left); each row gets a remove button that empties and hides it (an empty row is
   not saved). Runs after picker.js, so the rows' filter boxes already exist. */
(function () {
  "use strict";

  function emptyRow(row) {
    Array.prototype.forEach.call(row.querySelectorAll("select, input"), function (control) {
      control.value = "";
    });
  }

  function removeButton(fieldset, row) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary remove-row";
    button.textContent = fieldset.dataset.removeRowLabel || "Remove this row";
    button.addEventListener("click", function () {
      emptyRow(row);
      row.hidden = true;
      row.removeAttribute("data-shown");
      row.setAttribute("data-blank", "");
      fieldset.querySelector("#add-uplift").focus();
    });
    row.appendChild(button);
  }

  function enhance(fieldset) {
    var rows = Array.prototype.slice.call(fieldset.querySelectorAll("[data-uplift-row]"));
    var blank = rows.filter(function (row) { return row.hasAttribute("data-blank"); });
    var filled = rows.length - blank.length;
    blank.forEach(function (row, index) {
      if (index > 0 || filled > 0) { row.hidden = true; }
    });
    rows.forEach(function (row) { removeButton(fieldset, row); });
    var add = fieldset.querySelector("#add-uplift");
    add.addEventListener("click", function (event) {
      var next = rows.filter(function (row) { return row.hidden; })[0];
      if (!next) { return; }   /* none left: the form comes back with more rows */
      event.preventDefault();
      next.hidden = false;
      var filter = next.querySelector(".picker-filter") || next.querySelector("select");
      filter.focus();
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-uplift-rows]"), enhance);
}());
