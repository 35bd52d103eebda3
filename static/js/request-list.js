/* DX Support Desk: the request lists (support/_list_body.html).
 * - Bulk selection: the header checkbox [data-select-all] ticks every row's checkbox; #bulk-selected says how many.
 * - Keyboard shortcuts on the table rows ([data-shortcuts="rows"]): j / k next / previous request, Enter opens it
 *   (the focus sits on the row's reference link), x selects it, / goes to the search field, ? opens the help
 *   dialog (#shortcut-help). Ignored while typing in a field and with Ctrl, Alt or Meta held.
 * Our own static file (no CDN); the CSP forbids inline scripts. */
(function () {
  "use strict";

  function rowCheckboxes() {
    return Array.prototype.slice.call(document.querySelectorAll('input[type="checkbox"][name="references"]'));
  }

  function showSelected() {
    var out = document.getElementById("bulk-selected");
    if (!out) { return; }
    var count = rowCheckboxes().filter(function (box) { return box.checked; }).length;
    out.textContent = count ? out.getAttribute("data-some").replace("{count}", String(count)) : out.getAttribute("data-none");
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-select-all]")) {
      rowCheckboxes().forEach(function (box) { box.checked = target.checked; });
    }
    if (target.matches && (target.matches("[data-select-all]") || target.name === "references")) {
      showSelected();
    }
  });

  var container = document.querySelector('[data-shortcuts="rows"]');
  if (!container) { return; }
  var current = -1;

  function rows() {
    return Array.prototype.slice.call(container.querySelectorAll("tbody tr")).filter(function (row) {
      return row.querySelector("a[href]");
    });
  }

  function move(step) {
    var all = rows();
    if (!all.length) { return; }
    if (current >= 0 && all[current]) { all[current].classList.remove("table-active"); }
    current = Math.max(0, Math.min(all.length - 1, current + step));
    var row = all[current];
    row.classList.add("table-active");
    row.querySelector("a[href]").focus();
  }

  function typing(target) {
    if (!target || !target.tagName) { return false; }
    var tag = target.tagName.toLowerCase();
    if (tag === "input") {
      return ["checkbox", "radio", "button", "submit", "reset"].indexOf((target.type || "").toLowerCase()) < 0;
    }
    return tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function openHelp() {
    var dialog = document.getElementById("shortcut-help");
    if (dialog && window.bootstrap) { window.bootstrap.Modal.getOrCreateInstance(dialog).show(); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) { return; }
    if (document.querySelector(".modal.show")) { return; }
    var all;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(current < 0 ? 1 : -1); break;
      case "Enter":
        all = rows();
        if (current < 0 || !all[current] || document.activeElement === all[current].querySelector("a[href]")) { return; }
        window.location.href = all[current].querySelector("a[href]").href;
        break;
      case "x":
        all = rows();
        if (current < 0 || !all[current]) { return; }
        var box = all[current].querySelector('input[name="references"]');
        if (!box) { return; }
        box.checked = !box.checked;
        showSelected();
        break;
      case "/":
        var search = document.getElementById("id_q");
        if (!search) { return; }
        search.focus();
        break;
      case "?": openHelp(); break;
      default: return;
    }
    event.preventDefault();
  });
})();
