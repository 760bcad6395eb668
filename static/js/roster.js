// The roster board. The server renders the week (templates/duty/_roster_grid.html, the same
// grid as the printable page); this script adds the person picker, drag and drop and the
// toolbar. Writes go through the API (session auth, CSRF header), which applies the
// assignment rules; then htmx asks the server for the changed cells, or the whole week, and
// swaps them in. Every visible string comes from the page's #roster-i18n blob, so it is
// translated with the rest of the UI.
(function () {
  "use strict";

  var configNode = document.getElementById("roster-config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var T = JSON.parse(document.getElementById("roster-i18n").textContent);
  var KIND = {};
  config.kinds.forEach(function (k) { KIND[k.kind] = k; });

  var grid = document.getElementById("roster-grid");
  var alerts = document.getElementById("roster-alerts");

  var dragging = null;

  // -- utilities -----------------------------------------------------------------------

  var fmt = window.Huxue.fmt;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "className") node.className = value;
        else if (key === "text") node.textContent = value;
        else if (key.indexOf("data-") === 0 || key.indexOf("aria-") === 0 || key === "role" || key === "title" ||
                 key === "type" || key === "disabled") node.setAttribute(key, value === true ? "" : value);
        else node[key] = value;
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  var api = window.Huxue.request;

  // Which field's message a failed request shows first.
  var ERROR_ORDER = ["person", "shift", "assignment", "station", "week", "start", "end", "unit", "non_field_errors"];

  function errorText(result) { return window.Huxue.errorText(result, T, ERROR_ORDER); }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function localStamp(iso) {
    var d = new Date(iso);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " +
      pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function showAlert(kind, message, extra) {
    var box = el("div", { className: "alert alert-" + kind + " alert-dismissible fade show py-2", role: "alert" }, [
      el("span", { className: "alert-message", text: message }),
    ]);
    if (extra) box.appendChild(extra);
    box.appendChild(el("button", { type: "button", className: "btn-close", "data-bs-dismiss": "alert", "aria-label": "×" }));
    alerts.appendChild(box);
    return box;
  }

  function listOf(lines) {
    var list = el("ul", { className: "mb-0 mt-1 small" });
    lines.forEach(function (line) { list.appendChild(el("li", { text: line })); });
    return list;
  }

  // -- the grid, from the server -------------------------------------------------------

  function cellOf(shiftId) {
    return grid.querySelector('td[data-shift="' + shiftId + '"]');
  }

  // The cell of a shift rendered again by the server (with the week's totals, out of band);
  // resolves once it is swapped in.
  function refreshCell(shiftId) {
    var td = cellOf(shiftId);
    if (!td) return Promise.resolve();
    return htmx.ajax("GET", td.dataset.cellUrl, { target: td, swap: "outerHTML" });
  }

  // The whole week again (after publishing, copying or generating).
  function refreshWeek() {
    return htmx.ajax("GET", grid.dataset.weekUrl, { target: grid, swap: "innerHTML" });
  }

  function startTooltips() {
    if (!window.bootstrap) return;
    grid.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (node) {
      bootstrap.Tooltip.getOrCreateInstance(node);
    });
  }

  grid.addEventListener("htmx:afterSettle", startTooltips);

  // -- removing and moving -------------------------------------------------------------

  async function removeAssignment(button) {
    var chip = button.closest(".roster-chip");
    var name = chip.querySelector(".roster-name").textContent;
    button.disabled = true;
    var result = await api("DELETE", config.urls.assignments + button.dataset.assignment + "/");
    if (!result.ok) {
      button.disabled = false;
      showAlert("danger", fmt(T.remove_refused, { name: name, reason: errorText(result) }));
      return;
    }
    offerUndo(name, chip.dataset.shift, chip.dataset.person);
    await refreshCell(chip.dataset.shift);
  }

  // × takes someone off at once, and a toast offers to put him back for a few seconds. A
  // dispatcher clearing a week removes many names in a row: a question before each would
  // be clicked through by habit, while an undo costs nothing until the one slip. Putting
  // back goes through the same API as picking him, with the same rules.
  var UNDO_MS = 8000;
  var toasts = document.getElementById("roster-toasts");

  function offerUndo(name, shiftId, personId) {
    var undo = el("button", { type: "button", className: "btn btn-link btn-sm p-0 align-baseline roster-undo", text: T.undo });
    var toast = el("div", {
      className: "toast align-items-center roster-undo-toast", role: "status", "aria-live": "polite",
      "aria-atomic": "true", "data-shift": shiftId, "data-person": personId,
    }, [el("div", { className: "d-flex" }, [
      el("div", { className: "toast-body" }, [fmt(T.removed, { name: name }) + " · ", undo]),
      el("button", { type: "button", className: "btn-close me-2 m-auto", "data-bs-dismiss": "toast", "aria-label": "×" }),
    ])]);
    toasts.appendChild(toast);
    var handle = window.bootstrap ? bootstrap.Toast.getOrCreateInstance(toast, { delay: UNDO_MS }) : null;
    function close() { if (handle) handle.hide(); else toast.remove(); }
    toast.addEventListener("hidden.bs.toast", function () { toast.remove(); });
    if (handle) handle.show(); else setTimeout(close, UNDO_MS);
    undo.addEventListener("click", async function () {
      undo.disabled = true;
      var result = await api("POST", config.urls.assignments, { shift: Number(shiftId), person: Number(personId) });
      close();
      if (!result.ok) {
        showAlert("danger", fmt(T.undo_failed, { name: name, reason: errorText(result) }));
        return;
      }
      await refreshCell(shiftId);
    });
  }

  async function moveAssignment(moving, toShift) {
    var result = await api("POST", config.urls.assignments + moving.assignment + "/move/", { shift: Number(toShift) });
    if (!result.ok) {
      showAlert("danger", fmt(T.move_refused, { name: moving.name, reason: errorText(result) })).classList.add("roster-move-error");
      return;
    }
    await Promise.all([refreshCell(moving.shift), refreshCell(toShift)]);
  }

  grid.addEventListener("click", function (event) {
    var remove = event.target.closest(".roster-remove");
    if (remove) {
      event.stopPropagation();
      removeAssignment(remove);
      return;
    }
    var cell = event.target.closest("td.roster-open");
    if (cell) openPicker(cell.dataset.shift);
  });

  grid.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    var cell = event.target.closest("td.roster-open");
    if (cell && event.target === cell) {
      event.preventDefault();
      openPicker(cell.dataset.shift);
    }
  });

  grid.addEventListener("dragstart", function (event) {
    var chip = event.target.closest && event.target.closest(".roster-chip[draggable=true]");
    if (!chip) return;
    dragging = { assignment: chip.dataset.assignment, shift: chip.dataset.shift, name: chip.querySelector(".roster-name").textContent };
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", chip.dataset.assignment);
    chip.classList.add("roster-dragging");
  });

  grid.addEventListener("dragend", function () {
    dragging = null;
    grid.querySelectorAll(".roster-drop, .roster-dragging").forEach(function (node) {
      node.classList.remove("roster-drop", "roster-dragging");
    });
  });

  // A shift the server marked open (data-open: not cancelled, not over), other than the
  // one the chip is on.
  function dropTarget(event) {
    if (!dragging) return null;
    var cell = event.target.closest("td[data-shift][data-open]");
    return cell && cell.dataset.shift !== dragging.shift ? cell : null;
  }

  grid.addEventListener("dragover", function (event) {
    var cell = dropTarget(event);
    if (!cell) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    cell.classList.add("roster-drop");
  });

  grid.addEventListener("dragleave", function (event) {
    var cell = event.target.closest("td[data-shift]");
    if (cell && !cell.contains(event.relatedTarget)) cell.classList.remove("roster-drop");
  });

  grid.addEventListener("drop", function (event) {
    var cell = dropTarget(event);
    if (!cell) return;
    event.preventDefault();
    var moving = dragging;
    dragging = null;
    cell.classList.remove("roster-drop");
    moveAssignment(moving, cell.dataset.shift);
  });

  // -- the picker ----------------------------------------------------------------------

  var modalNode = document.getElementById("candidate-modal");
  var modal = window.bootstrap ? bootstrap.Modal.getOrCreateInstance(modalNode) : null;
  var search = document.getElementById("candidate-q");
  var kindSelect = document.getElementById("candidate-kind");
  var list = document.getElementById("candidate-list");
  var pickerError = document.getElementById("candidate-error");
  var pickerSuccess = document.getElementById("candidate-success");
  var pickerShift = null;
  var searchTimer = null;
  var searchAbort = null;

  function showPickerError(message) {
    pickerSuccess.classList.add("d-none");
    pickerError.textContent = message;
    pickerError.classList.toggle("d-none", !message);
  }

  // The picker's heading, read off the shift's cell as the server rendered it: its title,
  // who is on it (name and kind) and its gap.
  function renderPickerHeader() {
    var cell = cellOf(pickerShift);
    if (!cell) return;
    document.getElementById("candidate-shift").textContent = cell.dataset.title;
    var names = Array.prototype.map.call(cell.querySelectorAll(".roster-group .roster-chip"), function (chip) {
      var kind = KIND[chip.closest(".roster-group").dataset.kind];
      return chip.querySelector(".roster-name").textContent + (kind ? "（" + kind.short + "）" : "");
    });
    var current = document.getElementById("candidate-current");
    current.replaceChildren(
      el("div", {}, [el("strong", { text: T.on_shift + " " }), names.length ? names.join("、") : T.nobody_yet]),
    );
    var missing = cell.querySelector(".roster-missing");
    if (missing) current.appendChild(missing.cloneNode(true));
  }

  function openPicker(shiftId) {
    pickerShift = String(shiftId);
    search.value = "";
    kindSelect.value = "";
    showPickerError("");
    pickerSuccess.classList.add("d-none");
    renderPickerHeader();
    list.replaceChildren();
    if (modal) modal.show();
    loadCandidates();
  }

  async function loadCandidates() {
    if (!pickerShift) return;
    if (searchAbort) searchAbort.abort();
    searchAbort = window.AbortController ? new AbortController() : null;
    list.setAttribute("aria-busy", "true");
    var url = config.urls.candidates + "?shift=" + encodeURIComponent(pickerShift) +
      "&q=" + encodeURIComponent(search.value.trim()) + "&kind=" + encodeURIComponent(kindSelect.value);
    var result;
    try {
      result = await api("GET", url, undefined, searchAbort ? searchAbort.signal : undefined);
    } catch (error) {
      return; // superseded by a newer search
    }
    list.setAttribute("aria-busy", "false");
    if (!result.ok) {
      showPickerError(errorText(result));
      return;
    }
    var items = result.data.map(renderCandidate);
    if (!items.length) items = [el("div", { className: "list-group-item text-muted", text: T.nobody })];
    list.replaceChildren.apply(list, items);
    list.dataset.loaded = "true";
  }

  function renderCandidate(c) {
    var kind = KIND[c.kind] || { label: c.kind_label, short: c.kind };
    var button = el("button", {
      type: "button", className: "list-group-item list-group-item-action d-flex flex-wrap align-items-center gap-2 candidate",
      "data-person": c.id, "data-available": c.available ? "true" : "false", disabled: !c.available,
      "aria-disabled": c.available ? null : "true",
    }, [
      el("span", { className: "fw-semibold candidate-name", text: c.name }),
      el("span", { className: "badge text-bg-secondary", text: c.kind_label || kind.label }),
      c.school ? el("span", { className: "small text-muted", text: c.school }) : null,
      el("span", { className: "ms-auto small text-muted candidate-load", text: fmt(config.is_this_week ? T.load : T.load_other, { count: c.load }) }),
    ]);
    if (!c.available) {
      button.appendChild(el("div", { className: "w-100 small text-danger candidate-reason", text: c.reason }));
    }
    return button;
  }

  async function assign(shiftId, personId) {
    showPickerError("");
    var result = await api("POST", config.urls.assignments, { shift: Number(shiftId), person: Number(personId) });
    if (!result.ok) {
      showPickerError(errorText(result));
      return result;
    }
    pickerSuccess.textContent = fmt(T.added, { name: result.data.person_name });
    pickerSuccess.classList.remove("d-none");
    await refreshCell(shiftId);
    if (String(pickerShift) === String(shiftId)) {
      renderPickerHeader();
      loadCandidates();
    }
    return result;
  }

  list.addEventListener("click", function (event) {
    var item = event.target.closest("button.candidate");
    if (!item || item.disabled) return;
    assign(pickerShift, item.dataset.person);
  });

  search.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(loadCandidates, 250);
  });
  kindSelect.addEventListener("change", loadCandidates);
  modalNode.addEventListener("shown.bs.modal", function () { search.focus(); });
  modalNode.addEventListener("hidden.bs.modal", function () { pickerShift = null; });

  // -- confirm, publish, copy ----------------------------------------------------------

  var confirmNode = document.getElementById("confirm-modal");
  var confirmModal = window.bootstrap ? bootstrap.Modal.getOrCreateInstance(confirmNode) : null;
  var confirmAction = null;

  function confirmThen(text, action) {
    document.getElementById("confirm-text").textContent = text;
    confirmAction = action;
    if (confirmModal) confirmModal.show();
    else if (window.confirm(text)) action();
  }

  document.getElementById("confirm-ok").addEventListener("click", function () {
    var action = confirmAction;
    confirmAction = null;
    if (confirmModal) confirmModal.hide();
    if (action) action();
  });

  var publishButton = document.getElementById("btn-publish");
  if (publishButton) {
    publishButton.addEventListener("click", function () {
      confirmThen(fmt(T.confirm_publish, { week: config.week_name }), async function () {
        publishButton.disabled = true;
        var result = await api("POST", config.urls.publish, { station: config.station, week: config.week });
        publishButton.disabled = false;
        if (!result.ok) { showAlert("danger", errorText(result)); return; }
        showAlert("success", fmt(T.published_now, { week: config.week_name, when: localStamp(result.data.published_at) }));
        await refreshWeek();
      });
    });
  }

  var copyButton = document.getElementById("btn-copy");
  if (copyButton) {
    copyButton.addEventListener("click", function () {
      confirmThen(fmt(T.confirm_copy, { from: config.prev_week_name, week: config.week_name }), async function () {
        copyButton.disabled = true;
        var result = await api("POST", config.urls.copy, { station: config.station, week: config.week });
        copyButton.disabled = false;
        if (!result.ok) { showAlert("danger", errorText(result)); return; }
        var extra = null;
        if (result.data.skipped.length) {
          extra = el("div", {}, [el("div", { className: "mt-1", text: T.skipped }), listOf(result.data.skipped)]);
        }
        showAlert(result.data.skipped.length ? "warning" : "success", fmt(T.copied, { count: result.data.copied, from: config.prev_week_name }), extra)
          .classList.add("roster-copy-result");
        await refreshWeek();
      });
    });
  }

  // -- generating shifts ---------------------------------------------------------------

  var generateForm = document.getElementById("generate-form");
  if (generateForm) {
    var generateModalNode = document.getElementById("generate-modal");
    var progressBox = document.getElementById("generate-progress");
    var progressBar = progressBox.querySelector(".progress-bar");
    var progressOuter = progressBox.querySelector(".progress");
    var stageLine = document.getElementById("generate-stage");
    var resultBox = document.getElementById("generate-result");
    var generateError = document.getElementById("generate-error");
    var submitButton = document.getElementById("generate-submit");
    var stages = { calendar: T.stage_calendar, insert: T.stage_insert, standing: T.stage_standing, done: T.stage_done };

    function setProgress(percent, text) {
      progressBar.style.width = percent + "%";
      progressOuter.setAttribute("aria-valuenow", String(Math.round(percent)));
      stageLine.textContent = text;
    }

    function summary(result) {
      var box = el("div", { className: "alert alert-success mb-0" }, [el("div", { text: fmt(T.generated, result) })]);
      if (result.guessed_days) box.appendChild(el("div", { className: "mt-1", text: fmt(T.guessed_days, { count: result.guessed_days }) }));
      if (result.skipped_past) {
        box.classList.replace("alert-success", "alert-warning");
        box.appendChild(el("div", { className: "mt-1 generate-skipped-past", text: fmt(T.skipped_past, { count: result.skipped_past }) }));
      }
      if (result.standing_skipped && result.standing_skipped.length) {
        box.classList.replace("alert-success", "alert-warning");
        box.appendChild(el("div", { className: "mt-1", text: T.standing_skipped }));
        box.appendChild(listOf(result.standing_skipped));
      }
      return box;
    }

    function finish(result) {
      submitButton.disabled = false;
      progressBox.classList.add("d-none");
      resultBox.replaceChildren(summary(result));
      resultBox.classList.remove("d-none");
      if (!generateModalNode.classList.contains("show")) alerts.appendChild(summary(result));
      refreshWeek();
    }

    function fail(message) {
      submitButton.disabled = false;
      progressBox.classList.add("d-none");
      generateError.textContent = message;
      generateError.classList.remove("d-none");
      if (!generateModalNode.classList.contains("show")) showAlert("danger", message);
    }

    async function poll(statusUrl) {
      var result = await api("GET", statusUrl);
      if (!result.ok) { fail(fmt(T.generate_failed, { error: errorText(result) })); return; }
      var state = result.data.state;
      if (state === "SUCCESS") { setProgress(100, stages.done); finish(result.data.result); return; }
      if (state === "FAILURE") { fail(fmt(T.generate_failed, { error: result.data.error || state })); return; }
      if (state === "PROGRESS") {
        var p = result.data.progress || {};
        var total = p.total || 0;
        var percent = total ? Math.min(100, 100 * (p.done || 0) / total) : 5;
        setProgress(percent, fmt(T.progress, { stage: stages[p.stage] || p.stage, done: p.done || 0, total: total }));
      } else {
        setProgress(2, T.waiting);
      }
      setTimeout(function () { poll(statusUrl); }, 1000);
    }

    generateForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      generateForm.querySelectorAll(".is-invalid").forEach(function (n) { n.classList.remove("is-invalid"); });
      generateError.classList.add("d-none");
      resultBox.classList.add("d-none");
      var payload = {
        start: document.getElementById("generate-start").value,
        end: document.getElementById("generate-end").value,
        unit: config.station,
        async: true,
      };
      submitButton.disabled = true;
      progressBox.classList.remove("d-none");
      setProgress(2, T.waiting);
      var result = await api("POST", config.urls.generate, payload);
      if (result.status === 202) { poll(result.data.status_url); return; }
      if (result.ok) { finish(result.data); return; }
      if (result.status === 400 && result.data) {
        ["start", "end"].forEach(function (field) {
          if (!result.data[field]) return;
          var input = document.getElementById("generate-" + field);
          input.classList.add("is-invalid");
          generateForm.querySelector('.invalid-feedback[data-field="' + field + '"]').textContent = result.data[field][0];
        });
      }
      fail(errorText(result));
    });
  }

  // -- station picker ------------------------------------------------------------------

  var stationSelect = document.getElementById("roster-station");
  stationSelect.addEventListener("change", function () {
    document.getElementById("roster-picker").submit();
  });

  startTooltips();
  window.huxueRoster = { reload: refreshWeek, assign: assign, openPicker: openPicker };
})();
