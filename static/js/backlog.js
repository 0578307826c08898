/* Sorts the backlog table in place when a column header is clicked, without reloading.
   Without JavaScript the header links ask the server for the same order. */
(function () {
  "use strict";
  var table = document.getElementById("backlog-table");
  if (!table) { return; }
  var body = table.tBodies[0];

  function cellValue(row, index) {
    var raw = row.cells[index].getAttribute("data-value");
    if (raw === null || raw === "") { return null; }
    var number = Number(raw);
    return isNaN(number) ? raw : number;
  }

  function sortBy(header, index) {
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      if (x === null) { return y === null ? 0 : 1; }   /* empty cells stay last */
      if (y === null) { return -1; }
      var order = typeof x === "number" && typeof y === "number" ? x - y
        : String(x).localeCompare(String(y));
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
    var link = header.querySelector("a");
    if (!link || !header.hasAttribute("data-sort")) { return; }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      sortBy(header, index);
    });
  });
}());
