/* DX Support Desk: the language switcher submits its form as soon as a language is chosen (without JavaScript the
 * <noscript> button does it). A static file rather than an inline handler, so that the Content-Security-Policy needs
 * no 'unsafe-inline'. */
(function () {
  "use strict";
  var select = document.getElementById("language-select");
  if (!select) { return; }
  select.addEventListener("change", function () { select.form.submit(); });
})();
