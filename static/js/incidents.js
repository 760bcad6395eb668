// The incident form (templates/incidents/incident_form.html), at the gate on a phone and at
// the desk: shows the fields of the chosen kind only, keeps what is typed on the phone, and
// when the network fails holds the incident and sends it again once the network is back.
(function () {
  "use strict";
  const form = document.getElementById("incident-form");
  if (!form) return;
  const i18n = JSON.parse(document.getElementById("incident-i18n").textContent);
  const key = form.dataset.draftKey;
  const offline = document.getElementById("incident-offline");
  const restored = document.getElementById("incident-restored");
  const errorsBox = document.getElementById("incident-errors");
  const RETRY_MS = 10000;
  let pending = null;
  let retryTimer = null;
  let sending = false; // a request is on its way: the retry and a second tap wait for its answer

  // -- the fields of the chosen kind ------------------------------------------------------
  function chosenKind() {
    const checked = form.querySelector('input[name="kind"]:checked');
    return checked ? checked.value : "";
  }
  function showKindFields() {
    const kind = chosenKind();
    form.querySelectorAll("[data-kinds]").forEach(function (input) {
      const mine = input.dataset.kinds.split(" ").indexOf(kind) >= 0;
      const box = input.closest("[data-field-box]");
      if (box) box.hidden = !mine;
      input.disabled = !mine; // a hidden field of another kind is not sent
    });
  }

  // -- what was typed, kept on the phone --------------------------------------------------
  function textFields() {
    return Array.from(form.elements).filter(function (el) {
      return el.name && el.type !== "file" && el.type !== "hidden" && el.type !== "submit";
    });
  }
  function save() {
    const data = {};
    textFields().forEach(function (el) {
      if (el.type === "radio") { if (el.checked) data[el.name] = el.value; }
      else if (el.type === "checkbox") data[el.name] = el.checked;
      else data[el.name] = el.value;
    });
    data._saved = new Date().toISOString();
    try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* private mode: nothing kept */ }
  }
  function restore() {
    let data = null;
    try { data = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { data = null; }
    if (!data || form.querySelector(".invalid-feedback")) return;
    textFields().forEach(function (el) {
      if (!(el.name in data)) return;
      if (el.type === "radio") el.checked = el.value === data[el.name];
      else if (el.type === "checkbox") el.checked = !!data[el.name];
      else el.value = data[el.name];
    });
    restored.textContent = i18n.restored;
    restored.hidden = false;
  }
  function forget() {
    try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
  }

  // -- sending ----------------------------------------------------------------------------
  function showErrors(errors) {
    form.querySelectorAll(".js-error").forEach(function (el) { el.remove(); });
    const lines = [];
    Object.keys(errors).forEach(function (name) {
      const box = form.querySelector('[data-field-box="' + name + '"]') || document.getElementById("incident-kinds");
      errors[name].forEach(function (message) {
        lines.push(message);
        if (box) {
          const div = document.createElement("div");
          div.className = "invalid-feedback d-block js-error";
          div.dataset.field = name;
          div.textContent = message;
          box.appendChild(div);
        }
      });
    });
    errorsBox.textContent = lines.join(" ");
    errorsBox.hidden = lines.length === 0;
  }
  function send(body) {
    if (sending) return;
    sending = true;
    clearTimeout(retryTimer);
    pending = null;
    offline.hidden = true;
    return fetch(form.action || window.location.href, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" },
    }).then(function (response) {
      if (response.ok) { // saved: the page goes to it, and sends nothing more
        return response.json().then(function (data) { forget(); window.location.assign(data.url); });
      }
      sending = false;
      if (response.status === 400) {
        return response.json().then(function (data) { showErrors(data.errors || {}); });
      }
      showErrors({ __all__: [i18n.error.replace("%(status)s", response.status)] });
    }, function () {
      // No answer at all: hold it, and try again when the network is back.
      sending = false;
      pending = body;
      save();
      offline.textContent = i18n.offline;
      offline.hidden = false;
      clearTimeout(retryTimer);
      retryTimer = setTimeout(retry, RETRY_MS);
    });
  }
  function retry() {
    if (pending) send(pending);
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "kind") showKindFields();
    save();
  });
  form.addEventListener("input", save);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const body = new FormData(form, event.submitter || undefined);
    send(body);
  });
  window.addEventListener("online", retry);

  restore();
  showKindFields();
})();
