// Copy the personal calendar address; plain-HTTP intranets have no Clipboard API, so fall
// back to selecting the text and the old copy command.
(function () {
  "use strict";
  var button = document.getElementById("feed-copy");
  if (!button) return;
  var input = document.getElementById("feed-url");
  var status = document.getElementById("feed-copy-status");

  function done(ok) {
    status.textContent = ok ? button.dataset.copied : button.dataset.failed;
    status.className = "small mt-1 " + (ok ? "text-success" : "text-danger");
  }

  function fallback() {
    input.focus();
    input.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    done(ok);
  }

  button.addEventListener("click", function () {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  });
})();
