// beskplan's little script: the pages work without it. It makes tables with class "sortable"
// sortable by clicking a column heading (Danish numbers and words alike), says how long a
// note may still be, checks a plan's YAML while it is typed, and shows a file upload's progress.
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
  // A form with data-progress sends its file by XMLHttpRequest to show how far the upload is;
  // the page it leads to is then opened as the plain form would have opened it.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-progress]"), function (form) {
    var bar = form.querySelector("progress");
    var text = form.querySelector("[data-progress-text]");
    function megabytes(bytes) { return (bytes / 1048576).toFixed(1).replace(".", ","); }
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) { return; }
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      bar.hidden = false;
      form.querySelector("button[type=submit]").disabled = true;
      request.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) { return; }
        bar.value = Math.round(100 * e.loaded / e.total);
        text.textContent = "Uploadet " + bar.value + " % (" + megabytes(e.loaded) + " af " + megabytes(e.total) + " MB).";
      });
      request.upload.addEventListener("load", function () {
        bar.value = 100;
        text.textContent = "Filen er uploadet og bliver nu læst …";
      });
      request.addEventListener("load", function () {
        if (request.status === 200 && request.responseURL && request.responseURL !== form.action) {
          window.location.assign(request.responseURL);
          return;
        }
        // An error page: shown in place, as the browser would have shown it.
        var page = new DOMParser().parseFromString(request.responseText, "text/html");
        var main = document.querySelector("main");
        var replacement = page.querySelector("main");
        if (main && replacement) {
          main.replaceWith(document.importNode(replacement, true));
          document.title = page.title;
        } else {
          text.textContent = request.status === 413 ? "Filen er for stor til at blive uploadet her." : "Uploaden blev afvist (" + request.status + "). Prøv igen.";
          form.querySelector("button[type=submit]").disabled = false;
        }
      });
      request.addEventListener("error", function () {
        text.textContent = "Uploaden blev afbrudt. Prøv igen.";
        form.querySelector("button[type=submit]").disabled = false;
      });
      request.send(new FormData(form));
    });
  });
  // The plan's YAML, checked by the server a moment after each change, as a save would check it.
  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-check]"), function (area) {
    var out = document.getElementById(area.getAttribute("aria-describedby"));
    var csrf = area.form.querySelector("input[name=csrf]");
    var timer = null;
    function show(errors) {
      out.textContent = "";
      var lead = document.createElement("p");
      lead.textContent = errors.length === 0 ? "Planen kan gemmes." : (errors.length === 1 ? "1 fejl:" : errors.length + " fejl:");
      out.className = errors.length === 0 ? "check notice" : "check alert";
      out.appendChild(lead);
      if (errors.length === 0) { return; }
      var list = document.createElement("ul");
      errors.slice(0, 10).forEach(function (e) {
        var item = document.createElement("li");
        item.textContent = "Linje " + e.line + ", kolonne " + e.column + ": " + e.message;
        list.appendChild(item);
      });
      out.appendChild(list);
    }
    function check() {
      var request = new XMLHttpRequest();
      request.open("POST", area.getAttribute("data-check"));
      request.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
      request.addEventListener("load", function () {
        if (request.status !== 200) { return; }
        try { show(JSON.parse(request.responseText).errors || []); } catch (ignored) { /* the next change tries again */ }
      });
      request.send("yaml=" + encodeURIComponent(area.value) + "&csrf=" + encodeURIComponent(csrf ? csrf.value : ""));
    }
    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 600);
    });
  });
})();
