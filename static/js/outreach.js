// The "135" pull on a phone: a clock running from the alarm (on the server's time), and a
// button per stage to tap one's arrival. The tap goes to the drills API with the phone's
// location when it can be found; the server stamps the time and decides whether the stage
// was met, and the stage panel (refreshed by htmx every few seconds) shows its verdict.
// Every visible string comes from the page's #pull-i18n blob.
(function () {
  "use strict";

  var configNode = document.getElementById("pull-config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var T = JSON.parse(document.getElementById("pull-i18n").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var clock = $("pull-clock");
  var errorBox = $("pull-error");
  var statusLine = $("pull-status");

  // -- the clock ---------------------------------------------------------------------------

  var offset = Date.parse(config.server_now) - Date.now();
  var alarm = Date.parse(config.alarm_at);
  var closed = config.closed_at ? Date.parse(config.closed_at) : null;

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function tick() {
    var now = closed !== null ? closed : Date.now() + offset;
    var seconds = Math.max(0, Math.floor((now - alarm) / 1000));
    clock.textContent = pad(Math.floor(seconds / 60)) + ":" + pad(seconds % 60);
    clock.dataset.seconds = String(seconds);
  }

  tick();
  var timer = closed === null ? setInterval(tick, 250) : null;

  // The stage panel says when the pull has closed: the clock stops there.
  document.body.addEventListener("htmx:afterSwap", function () {
    var panel = $("pull-stages");
    if (panel && panel.dataset.closed === "true" && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  });

  // -- tapping an arrival ------------------------------------------------------------------

  function showError(message) {
    errorBox.textContent = message || "";
    errorBox.hidden = !message;
  }

  function locate() {
    return new Promise(function (resolve) {
      if (!window.isSecureContext || !navigator.geolocation) { resolve(null); return; }
      navigator.geolocation.getCurrentPosition(
        function (position) { resolve(position.coords); },
        function () { resolve(null); },
        { enableHighAccuracy: true, timeout: 8000, maximumAge: 0 }
      );
    });
  }

  async function tap(button) {
    showError("");
    button.disabled = true;
    statusLine.textContent = T.locating;
    var coords = await locate();
    var payload = { stage: button.dataset.stage };
    if (coords) {
      payload.lat = Number(coords.latitude.toFixed(6));
      payload.lng = Number(coords.longitude.toFixed(6));
      payload.accuracy_m = coords.accuracy ? Math.round(coords.accuracy) : null;
    }
    statusLine.textContent = coords ? T.sending : T.no_location;
    var result = await window.Huxue.request("POST", config.arrivals_url, payload);
    if (!result.ok) {
      statusLine.textContent = "";
      showError(window.Huxue.errorText(result, T, ["stage"]));
      button.disabled = false;
      return;
    }
    // The server's verdict, whole: the page as it now stands.
    window.location.reload();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".pull-tap");
    if (button && !button.disabled) tap(button);
  });
})();
