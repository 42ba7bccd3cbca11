// beskplan's little script: the pages work without it. It makes tables with class "sortable"
// sortable by clicking a column heading (Danish numbers and words alike), and says how long a
// note may still be.
(function () {
  "use strict";

  function value(cell) {
    var text = (cell.textContent || "").trim();
    var number = text.replace(/\./g, "").replace(",", ".").replace(/[^0-9.\-]/g, "");
    return number !== "" && !isNaN(Number(number)) && /\d/.test(text) ? Number(number) : text.toLowerCase();
  }

  function sortBy(table, column, button) {
    var body = table.tBodies[0];
    var ascending = button.getAttribute("data-order") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a.cells[column]), y = value(b.cells[column]);
      if (x === y) { return 0; }
      var order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "da");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.querySelectorAll("th[aria-sort]"), function (th) { th.removeAttribute("aria-sort"); });
    button.setAttribute("data-order", ascending ? "ascending" : "descending");
    button.parentNode.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, column, button); });
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("textarea[maxlength]"), function (area) {
    var left = document.createElement("p");
    left.setAttribute("aria-live", "polite");
    left.className = "lead";
    area.parentNode.insertBefore(left, area.nextSibling);
    function update() {
      left.textContent = "Der er plads til " + (area.maxLength - area.value.length) + " tegn endnu.";
    }
    area.addEventListener("input", update);
    update();
  });
})();
