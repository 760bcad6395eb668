// Shared by Huxue's pages: JSON requests to /api/v1/ with the session's CSRF token.
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

  window.Huxue = { csrfToken: csrfToken, request: request };
})();
