// The live duty board. The body is replaced by htmx every few seconds, so:
// - on the all-stations board, a station the user opened or folded stays that way across
//   the refreshes (the server opens the stations with problems; the user's choice wins);
// - the two dispatcher actions, a radio roll-call (a check-in recorded for someone at the
//   post, method "radio") and an excuse with its reason, find their buttons by delegation;
//   they go to the attendance API (session auth, CSRF header), then ask the body to reload.
//   Their dialogs live outside the body; strings come from the page's #live-i18n blob.
(function () {
  "use strict";

  var chosen = {};  // station id -> true (opened by the user) or false (folded by him)

  function restoreStations(root) {
    root.querySelectorAll("details.live-station").forEach(function (details) {
      var choice = chosen[details.dataset.station];
      if (choice !== undefined) details.open = choice;
    });
  }

  // "toggle" does not bubble; catch it on the way down. A toggle the page makes itself
  // (restoring) sets the same value, so recording it changes nothing.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.matches && details.matches("details.live-station")) chosen[details.dataset.station] = details.open;
  }, true);
  document.addEventListener("htmx:afterSwap", function () {
    var body = document.getElementById("live-body");
    if (body) restoreStations(body);
  });
})();

(function () {
  "use strict";

  var stringsNode = document.getElementById("live-i18n");
  if (!stringsNode || !window.bootstrap) return;
  var T = JSON.parse(stringsNode.textContent);
  var $ = function (id) { return document.getElementById(id); };

  var fmt = window.Huxue.fmt;

  function post(url, payload) { return window.Huxue.request("POST", url, payload); }

  function errorText(result) { return window.Huxue.errorText(result, T); }

  function refreshBoard() {
    var body = $("live-body");
    if (body && window.htmx) window.htmx.trigger(body, "refresh");
  }

  // One dialog: open it for a button, send its payload, close and refresh on success.
  function dialog(name, prepare, payload) {
    var node = $(name + "-modal");
    if (!node) return;
    var modal = window.bootstrap.Modal.getOrCreateInstance(node);
    var form = $(name + "-form");
    var error = $(name + "-error");
    var submit = $(name + "-submit");
    var url = null;

    document.addEventListener("click", function (event) {
      var button = event.target.closest(".live-" + (name === "rollcall" ? "roll-call" : name));
      if (!button) return;
      url = button.dataset.url;
      error.hidden = true;
      submit.disabled = false;
      prepare(button);
      modal.show();
    });

    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      var body = payload();
      if (body === null) return;
      submit.disabled = true;
      var result = await post(url, body);
      submit.disabled = false;
      if (!result.ok) {
        error.textContent = errorText(result);
        error.hidden = false;
        return;
      }
      modal.hide();
      refreshBoard();
    });
  }

  dialog("rollcall", function (button) {
    $("rollcall-text").textContent = fmt(T.rollcall_text, { name: button.dataset.name });
    $("rollcall-kit").hidden = !button.dataset.kit;
    document.querySelectorAll(".rollcall-kit-item").forEach(function (box) { box.checked = false; });
  }, function () {
    var kit = $("rollcall-kit").hidden ? [] : Array.prototype.slice.call(
      document.querySelectorAll(".rollcall-kit-item:checked")).map(function (box) { return box.value; });
    return { method: "radio", equipment: kit };
  });

  dialog("excuse", function (button) {
    $("excuse-text").textContent = fmt(T.excuse_text, { name: button.dataset.name });
    $("excuse-reason").value = "";
  }, function () {
    var reason = $("excuse-reason").value.trim();
    if (!reason) {
      $("excuse-error").textContent = T.reason_needed;
      $("excuse-error").hidden = false;
      return null;
    }
    return { reason: reason };
  });
})();
