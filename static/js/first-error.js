/* Focus moves to the first field in error when a form comes back with errors (after the error summary at the
   top, role=alert, has been announced); a link of the summary focuses its field. No dependencies. */
(function () {
  "use strict";
  function focusField(field) {
    if (!field) return;
    field.focus({ preventScroll: false });
    if (field.scrollIntoView) field.scrollIntoView({ block: "center" });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        focusField(field);
      }
    });
    focusField(document.querySelector("form .is-invalid, form [aria-invalid='true']") || summary);
  });
})();
