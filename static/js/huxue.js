// Shared by Huxue's pages: JSON requests to /api/v1/ with the session's CSRF token, and the
// helpers the page scripts use to word their messages.
(function () {
  "use strict";

  function csrfToken() {
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
    } catch (e) { /* fall back to the cookie */ }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // fetch() for the API: resolves to {ok, status, data}; status 0 means the request never
  // got an answer (network lost). An aborted request (signal) still throws AbortError.
  async function request(method, url, payload, signal) {
    var options = {
      method: method,
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      signal: signal,
    };
    if (method !== "GET") {
      options.headers["X-CSRFToken"] = csrfToken();
      if (payload !== undefined) {
        options.headers["Content-Type"] = "application/json";
        options.body = JSON.stringify(payload);
      }
    }
    var response;
    try {
      response = await fetch(url, options);
    } catch (error) {
      if (error && error.name === "AbortError") throw error;
      return { ok: false, status: 0, data: null };
    }
    var data = null;
    if ((response.headers.get("Content-Type") || "").indexOf("json") !== -1) {
      try { data = await response.json(); } catch (e) { data = null; }
    }
    return { ok: response.ok, status: response.status, data: data };
  }

  // Fills the %(name)s placeholders of a translated string; a missing (or null) parameter
  // leaves its placeholder as it is.
  function fmt(text, params) {
    return String(text).replace(/%\((\w+)\)s/g, function (match, key) {
      return params && params[key] !== undefined && params[key] !== null ? String(params[key]) : match;
    });
  }

  // The first message of a DRF error body: {"detail": …} or {field: [messages]}. `strings`
  // is the page's translated blob (its network_error and error, "… (%(status)s)"); `order`
  // optionally names the fields whose message comes first.
  function errorText(result, strings, order) {
    if (result.status === 0) return strings.network_error;
    var data = result.data;
    if (data && typeof data === "object") {
      if (typeof data.detail === "string") return data.detail;
      var first = (order || []).filter(function (k) { return k in data; });
      var keys = first.concat(Object.keys(data).filter(function (k) { return first.indexOf(k) === -1; }));
      for (var i = 0; i < keys.length; i++) {
        var value = data[keys[i]];
        if (Array.isArray(value) && value.length) return String(value[0]);
        if (typeof value === "string") return value;
      }
    }
    return fmt(strings.error, { status: result.status });
  }

  // A button marked data-huxue-print prints the page: pages carry no inline handlers (they
  // are served under a strict Content-Security-Policy). data-huxue-print="record" first tells
  // the audit trail what is printed: the page with its filters, and data-huxue-rows rows.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-huxue-print]");
    if (!button) return;
    var record = document.body.getAttribute("data-huxue-print-record");
    if (button.getAttribute("data-huxue-print") === "record" && record && navigator.sendBeacon) {
      var form = new FormData();
      form.append("csrfmiddlewaretoken", csrfToken());
      form.append("path", window.location.pathname + window.location.search);
      form.append("rows", button.getAttribute("data-huxue-rows") || "");
      navigator.sendBeacon(record, form);
    }
    window.print();
  });

  // A form marked data-huxue-confirm="question" is sent only when the user confirms.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-huxue-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  window.Huxue = { csrfToken: csrfToken, request: request, fmt: fmt, errorText: errorText };
})();
