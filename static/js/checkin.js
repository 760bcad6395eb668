// "My shift now": check in and out at the post from a phone. The phone's location and the
// kit worn go to the attendance API (session auth, CSRF header), which measures the distance
// and decides everything; this page only asks, sends and shows. A repeated check-in returns
// the first one, so a request lost on a bad network is simply sent again. Every visible
// string comes from the page's #checkin-i18n blob, so it is translated with the rest of the UI.
(function () {
  "use strict";

  var configNode = document.getElementById("checkin-config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var T = JSON.parse(document.getElementById("checkin-i18n").textContent);

  var RETRIES = 3;
  var KIT = {};
  config.kit.forEach(function (k) { KIT[k.value] = k.label; });

  var $ = function (id) { return document.getElementById(id); };
  var form = $("checkin-form");
  var button = $("checkin-btn");
  var buttonLabel = button ? button.textContent : "";
  var notOpen = $("checkin-not-open");
  var reasonBox = $("checkin-reason-box");
  var reasonInput = $("checkin-reason");
  var outsideMessage = $("checkin-outside-message");
  var errorBox = $("checkin-error");
  var statusLine = $("checkin-status");
  var kitMissing = $("kit-missing");
  var done = $("checkin-done");
  var checkoutButton = $("checkout-btn");
  var checkoutError = $("checkout-error");
  var checkoutDone = $("checkout-done");

  // -- utilities -----------------------------------------------------------------------

  var fmt = window.Huxue.fmt;

  function time(iso) {
    // Shift times are the school's local time, whatever zone the phone is set to.
    return new Intl.DateTimeFormat("zh-CN", {
      timeZone: config.time_zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).format(new Date(iso));
  }

  function kitNames(items) {
    return items.map(function (item) { return KIT[item] || item; }).join("、");
  }

  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function postOnce(url, payload) { return window.Huxue.request("POST", url, payload); }

  // POST, and on a lost connection or a gateway error try again, waiting 1, 2, 4 s: the
  // server answers a repeat with the first check-in (or check-out), so this is safe.
  async function post(url, payload) {
    var result = await postOnce(url, payload);
    for (var attempt = 1; attempt <= RETRIES && (result.status === 0 || result.status >= 502); attempt++) {
      showStatus(fmt(T.retrying, { attempt: attempt, max: RETRIES }));
      await sleep(1000 * Math.pow(2, attempt - 1));
      result = await postOnce(url, payload);
    }
    return result;
  }

  function errorText(result) { return window.Huxue.errorText(result, T); }

  function showError(box, message) {
    box.textContent = message;
    box.hidden = !message;
  }

  function showStatus(message) {
    if (statusLine) statusLine.textContent = message || "";
  }

  function busy(node, on, label) {
    node.disabled = on;
    if (on) node.setAttribute("aria-busy", "true"); else node.removeAttribute("aria-busy");
    if (label) node.textContent = label;
  }

  // -- location ----------------------------------------------------------------------------

  function locationError(code) {
    if (code === "insecure") return T.insecure;
    if (code === "unsupported") return T.no_geolocation;
    if (code === 1) return T.denied;
    if (code === 3) return T.timeout;
    return T.unavailable;
  }

  function locate() {
    return new Promise(function (resolve, reject) {
      if (!window.isSecureContext) { reject("insecure"); return; }
      if (!navigator.geolocation) { reject("unsupported"); return; }
      navigator.geolocation.getCurrentPosition(
        function (position) { resolve(position.coords); },
        function (error) { reject(error.code); },
        { enableHighAccuracy: true, timeout: 10000, maximumAge: 0 }
      );
    });
  }

  // The API takes degrees with six decimals (about 0.1 m) and whole metres.
  function place(coords) {
    return {
      lat: Number(coords.latitude.toFixed(6)),
      lng: Number(coords.longitude.toFixed(6)),
      accuracy_m: coords.accuracy ? Math.round(coords.accuracy) : null,
    };
  }

  // -- kit ---------------------------------------------------------------------------------

  function kitBoxes() { return Array.prototype.slice.call(document.querySelectorAll("input.kit-item")); }

  function kitWorn() {
    return kitBoxes().filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
  }

  function showKitMissing() {
    if (!kitMissing) return;
    var missing = kitBoxes().filter(function (box) { return !box.checked; }).map(function (box) { return box.value; });
    kitMissing.textContent = missing.length ? fmt(T.kit_not_ticked, { items: kitNames(missing) }) : T.kit_all_ticked;
    kitMissing.className = "small mt-2 " + (missing.length ? "text-danger" : "text-success");
    kitMissing.dataset.missing = missing.join(" ");
  }

  // -- showing a check-in ------------------------------------------------------------------

  function line(text, className) {
    var node = document.createElement("div");
    node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function showCheckIn(checkIn, repeated) {
    var result = $("checkin-result");
    result.innerHTML = "";
    result.className = "alert " + (checkIn.flagged ? "alert-warning" : "alert-success");
    result.dataset.flagged = checkIn.flagged ? "true" : "false";
    var head = line(fmt(T.checked_in_at, { time: time(checkIn.at) }), "fs-4 fw-semibold");
    head.id = "checkin-time";
    result.appendChild(head);
    if (repeated) result.appendChild(line(T.repeated, "small"));
    var where;
    if (checkIn.distance_m === null || checkIn.distance_m === undefined) {
      where = T.no_distance;
    } else {
      where = fmt(T.distance, { distance: checkIn.distance_m, fence: checkIn.inside_geofence ? T.inside : T.outside });
    }
    var distance = line(where);
    distance.id = "checkin-distance";
    distance.dataset.distance = checkIn.distance_m === null ? "" : String(checkIn.distance_m);
    result.appendChild(distance);
    if (checkIn.outside_reason) result.appendChild(line(fmt(T.reason, { reason: checkIn.outside_reason })));
    if (config.wears_kit) {
      var kit = line(checkIn.kit_missing.length ? fmt(T.kit_missing, { items: kitNames(checkIn.kit_missing) }) : T.kit_complete);
      kit.id = "checkin-kit";
      result.appendChild(kit);
    }
    if (checkIn.method === "radio") result.appendChild(line(T.radio, "small"));
    if (checkIn.flagged) {
      var flag = line(T.flagged, "fw-semibold mt-1");
      flag.id = "checkin-flagged";
      result.appendChild(flag);
    }
    form.hidden = true;
    done.hidden = false;
  }

  // -- check in ----------------------------------------------------------------------------

  // Every press measures afresh (maximumAge: 0): an officer refused 2 km away who then
  // walks to the gate must be judged where he stands now. Whether a reason is needed is the
  // server's verdict on that new position; a reason already typed is sent along and kept
  // only if he is still outside.
  async function checkIn() {
    showError(errorBox, "");
    var reason = reasonBox.hidden ? "" : reasonInput.value.trim();
    busy(button, true, T.locating);
    var where;
    try {
      where = place(await locate());
    } catch (code) {
      showError(errorBox, locationError(code));
      busy(button, false, reasonBox.hidden ? buttonLabel : T.check_in_from_here);
      return;
    }
    busy(button, true, T.sending);
    var result = await post(config.urls.check_in, {
      lat: where.lat, lng: where.lng, accuracy_m: where.accuracy_m,
      equipment: kitWorn(), outside_reason: reason, method: "phone",
    });
    showStatus("");
    if (result.ok) {
      showCheckIn(result.data, result.status === 200);
      return;
    }
    if (result.status === 400 && result.data && result.data.outside_reason) {
      // Still away from the post: kept, but only with the reason why.
      var asked = !reasonBox.hidden;
      outsideMessage.textContent = String(result.data.outside_reason[0]);
      reasonBox.hidden = false;
      if (asked && !reason) showError(errorBox, T.reason_needed);
      busy(button, false, T.check_in_from_here);
      reasonInput.focus();
      return;
    }
    showError(errorBox, errorText(result));
    busy(button, false, reasonBox.hidden ? buttonLabel : T.check_in_from_here);
  }

  // -- check out ---------------------------------------------------------------------------

  async function checkOut() {
    showError(checkoutError, "");
    var early = Date.now() < Date.parse(config.ends_at);
    var question = early ? fmt(T.confirm_early, { time: config.end_time }) : T.confirm_checkout;
    if (!window.confirm(question)) return;
    busy(checkoutButton, true, T.locating);
    var payload = {};
    try {
      var where = place(await locate());
      payload = { lat: where.lat, lng: where.lng };
    } catch (code) {
      // The check-out is recorded anyway; only its distance is lost.
      payload = {};
    }
    busy(checkoutButton, true, T.sending);
    var result = await post(config.urls.check_out, payload);
    if (!result.ok) {
      showError(checkoutError, errorText(result));
      busy(checkoutButton, false, T.check_out);
      return;
    }
    checkoutButton.hidden = true;
    checkoutDone.textContent = fmt(T.checked_out, {
      time: time(result.data.checked_out_at),
      status: config.attendance[result.data.attendance] || result.data.attendance,
    });
    checkoutDone.dataset.attendance = result.data.attendance;
    checkoutDone.hidden = false;
  }

  // -- wiring ------------------------------------------------------------------------------

  kitBoxes().forEach(function (box) { box.addEventListener("change", showKitMissing); });
  showKitMissing();
  if (config.check_in) showCheckIn(config.check_in, false);
  if (button) {
    button.addEventListener("click", checkIn);
    if (config.opens_in > 0) {
      // Open the button when check-in opens; the server still has the last word.
      setTimeout(function () {
        button.disabled = false;
        if (notOpen) notOpen.hidden = true;
      }, Math.min(config.opens_in * 1000, 2147483647));
    }
  }
  if (checkoutButton) checkoutButton.addEventListener("click", checkOut);
})();
