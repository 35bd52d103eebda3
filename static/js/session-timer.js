/* DX Support Desk: warns before the session ends (SESSION_IDLE_TIMEOUT / SESSION_ABSOLUTE_TIMEOUT).
 * <body data-session-expires-in="seconds" data-session-warning-before="seconds"> comes from the server
 * (accounts.middleware.SessionExpiryMiddleware); the texts are data attributes too, translated by the template.
 * "Stay signed in" asks the server (a HEAD request, which counts as activity) and starts the clock again from the
 * seconds it answers in X-Session-Expires-In; so do htmx requests. A static file: the CSP forbids inline scripts. */
(function () {
  "use strict";
  var body = document.body;
  var left = parseInt(body.getAttribute("data-session-expires-in") || "", 10);
  if (!left || left < 0) { return; }
  var before = parseInt(body.getAttribute("data-session-warning-before") || "120", 10);
  var timers = [];
  var ALERT_ID = "session-expiry-alert";

  function removeAlert() {
    var old = document.getElementById(ALERT_ID);
    if (old) { old.parentNode.removeChild(old); }
  }

  function showAlert(text, withButton) {
    removeAlert();
    var alert = document.createElement("div");
    alert.id = ALERT_ID;
    alert.className = "alert alert-warning shadow position-fixed bottom-0 end-0 m-3";
    alert.setAttribute("role", "alert");
    alert.style.zIndex = "1080";
    alert.style.maxWidth = "26rem";
    var message = document.createElement("p");
    message.className = "mb-2";
    message.textContent = text;
    alert.appendChild(message);
    if (withButton) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-primary";
      button.textContent = body.getAttribute("data-session-stay") || "OK";
      button.addEventListener("click", stayAlive);
      alert.appendChild(button);
    }
    body.appendChild(alert);
  }

  function schedule(seconds) {
    timers.forEach(clearTimeout);
    timers = [];
    removeAlert();
    timers.push(setTimeout(function () {
      showAlert(body.getAttribute("data-session-warning") || "", true);
    }, Math.max(0, seconds - before) * 1000));
    timers.push(setTimeout(function () {
      showAlert(body.getAttribute("data-session-ended") || "", false);
    }, seconds * 1000));
  }

  function fromResponse(value) {
    var seconds = parseInt(value || "", 10);
    if (seconds > 0) { schedule(seconds); }
  }

  function stayAlive() {
    fetch(window.location.href, { method: "HEAD", credentials: "same-origin", cache: "no-store" })
      .then(function (response) { fromResponse(response.headers.get("X-Session-Expires-In")); });
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr) { fromResponse(xhr.getResponseHeader("X-Session-Expires-In")); }
  });
  schedule(left);
})();
