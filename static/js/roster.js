// The roster board: reads and writes the roster only through the API (session auth, CSRF
// header). Every visible string comes from the page's #roster-i18n blob, so it is translated
// with the rest of the UI.
(function () {
  "use strict";

  var configNode = document.getElementById("roster-config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var T = JSON.parse(document.getElementById("roster-i18n").textContent);
  var KINDS = config.kinds;
  var KIND = {};
  KINDS.forEach(function (k) { KIND[k.kind] = k; });

  var table = document.getElementById("roster-table");
  var head = document.getElementById("roster-head");
  var body = document.getElementById("roster-body");
  var alerts = document.getElementById("roster-alerts");
  var totals = document.getElementById("roster-totals");
  var publishedBadge = document.getElementById("roster-published");

  var board = null;
  var shifts = {}; // shift id -> {shift, post, date, period}
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
                 key === "type" || key === "tabindex" || key === "draggable" || key === "colspan" ||
                 key === "rowspan" || key === "scope" || key === "disabled") node.setAttribute(key, value === true ? "" : value);
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

  function shortDate(iso) { return iso.slice(5); }

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

  function staffingText(staffing) {
    return KINDS.filter(function (k) { return staffing[k.kind]; })
      .map(function (k) { return k.short + staffing[k.kind]; }).join(" ");
  }

  function isOpen(shift) {
    return shift.status !== "cancelled" && new Date(shift.ends_at) > new Date();
  }

  // -- the board -----------------------------------------------------------------------

  async function loadBoard() {
    table.setAttribute("aria-busy", "true");
    var url = config.urls.roster + "?station=" + encodeURIComponent(config.station) + "&week=" + encodeURIComponent(config.week);
    var result = await api("GET", url);
    table.setAttribute("aria-busy", "false");
    if (!result.ok) {
      body.replaceChildren(el("tr", {}, [el("td", { colspan: 15, className: "text-danger" , text: fmt(T.load_failed, { error: errorText(result) }) })]));
      return null;
    }
    board = result.data;
    render();
    return board;
  }

  function render() {
    shifts = {};
    renderHead();
    var rows = board.rows.map(renderRow);
    if (!rows.length) rows = [el("tr", {}, [el("td", { colspan: 15, className: "text-center text-muted py-4", text: T.no_posts })])];
    body.replaceChildren.apply(body, rows);
    var t = board.totals;
    totals.textContent = fmt(T.totals, { shifts: t.shifts, short: t.short, over: t.over });
    if (board.published_at) {
      publishedBadge.className = "badge text-bg-success";
      publishedBadge.textContent = fmt(T.published, { when: localStamp(board.published_at) });
    } else {
      publishedBadge.className = "badge text-bg-light border";
      publishedBadge.textContent = T.draft;
    }
    table.dataset.loaded = "true";
  }

  function renderHead() {
    var top = el("tr", {}, [el("th", { className: "roster-post", rowspan: 2, scope: "col", text: T.post })]);
    var bottom = el("tr");
    board.days.forEach(function (day) {
      var isToday = day.date === config.today;
      var th = el("th", {
        colspan: 2, scope: "colgroup", className: "text-center" + (isToday ? " roster-today" : ""),
        "data-date": day.date,
      }, [shortDate(day.date) + " " + config.weekdays[day.weekday - 1]]);
      if (isToday) th.appendChild(el("span", { className: "badge text-bg-primary ms-1", text: T.today }));
      if (day.calendar_guess) {
        var tip = fmt(T.calendar_guess, { year: day.date.slice(0, 4) });
        th.appendChild(el("span", {
          className: "badge text-bg-warning ms-1 calendar-guess", title: tip, "aria-label": tip,
          "data-bs-toggle": "tooltip", tabindex: 0,
        }, [el("i", { className: "bi bi-question-circle" }), " " + T.guess]));
      }
      top.appendChild(th);
      ["am", "pm"].forEach(function (period) {
        bottom.appendChild(el("th", { className: "text-center small" + (isToday ? " roster-today" : ""), text: config.periods[period] }));
      });
    });
    head.replaceChildren(top, bottom);
    if (window.bootstrap) {
      head.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (node) { new bootstrap.Tooltip(node); });
    }
  }

  function renderRow(row) {
    var post = row.post;
    var tr = el("tr", { "data-post": post.id }, [
      el("th", { className: "roster-post", scope: "row" }, [
        el("div", { className: "fw-semibold", text: post.school + " · " + post.name }),
        el("div", { className: "small text-muted", title: T.post, text: staffingText(post.staffing) }),
      ]),
    ]);
    if (!row.cells.some(function (cell) { return cell.shift; })) {
      tr.appendChild(renderNoShifts(post));
      return tr;
    }
    row.cells.forEach(function (cell) {
      tr.appendChild(renderCell(cell, post));
    });
    return tr;
  }

  // A post with no shift all week (a new post, or a school without a timetable): one line
  // that says so, and opens the generate dialog (already set to this week) where it can help.
  function renderNoShifts(post) {
    var td = el("td", { colspan: 14, className: "roster-no-shifts text-muted align-middle", "data-post": post.id }, [
      el("i", { className: "bi bi-calendar-x me-1" }), fmt(T.no_shifts_week, { week: config.week_name }),
    ]);
    if (config.can.generate && !config.week_over && document.getElementById("generate-modal")) {
      td.appendChild(el("button", {
        type: "button", className: "btn btn-sm btn-outline-primary ms-2 roster-generate-hint",
        "data-bs-toggle": "modal", "data-bs-target": "#generate-modal",
      }, [el("i", { className: "bi bi-magic" }), " " + T.generate_shifts]));
    }
    return td;
  }

  // "Pol1 Aux1 …", with spaces between, so a narrow cell can wrap the line.
  function kindSpans(counts, attr) {
    var nodes = [];
    KINDS.filter(function (k) { return counts[k.kind]; }).forEach(function (k) {
      var span = el("span", { className: "text-nowrap", title: k.label, text: k.short + counts[k.kind] });
      span.setAttribute(attr, k.kind);
      nodes.push(span, " ");
    });
    return nodes;
  }

  function renderCell(cell, post) {
    var shift = cell.shift;
    var td = el("td", { className: "roster-cell", "data-date": cell.date, "data-period": cell.period, "data-post": post.id });
    if (!shift) {
      td.classList.add("roster-empty", "text-muted", "small");
      td.textContent = T.no_shift;
      return td;
    }
    shifts[shift.id] = { shift: shift, post: post, date: cell.date, period: cell.period };
    td.dataset.shift = shift.id;
    var open = isOpen(shift);
    var cancelled = shift.status === "cancelled";
    // An ended shift is history, not a gap anyone can fill: neutral, and not in the totals.
    var ended = !cancelled && (shift.ended || !open);
    var missing = Object.keys(shift.missing).length > 0;
    var over = Object.keys(shift.over).length > 0;
    if (cancelled) td.classList.add("table-secondary", "roster-cancelled");
    else if (ended) td.classList.add("roster-ended");
    else if (missing) td.classList.add("table-danger", "roster-short");
    else if (over) td.classList.add("table-warning", "roster-over");
    if (!open && !cancelled) td.classList.add("roster-closed");
    if (open && config.can.assign) {
      td.classList.add("roster-open");
      td.setAttribute("tabindex", "0");
      td.setAttribute("role", "button");
      td.setAttribute("title", T.add_people);
    }

    var windowLine = el("div", { className: "roster-window" }, [shift.window]);
    if (cancelled) windowLine.appendChild(el("span", { className: "ms-1 badge text-bg-secondary", text: T.cancelled }));
    else if (!open) windowLine.appendChild(el("span", { className: "ms-1 badge text-bg-light border", text: T.ended }));
    td.appendChild(windowLine);

    KINDS.forEach(function (kind) {
      var people = shift.people.filter(function (p) { return p.kind === kind.kind; });
      if (!people.length) return;
      var group = el("div", { className: "roster-group", "data-kind": kind.kind }, [
        el("span", { className: "badge text-bg-secondary kind-badge me-1", title: kind.label, text: kind.short }),
      ]);
      people.forEach(function (person) { group.appendChild(renderChip(person, shift, open)); });
      td.appendChild(group);
    });

    if (!cancelled && missing) {
      td.appendChild(el("div", { className: "roster-missing small " + (ended ? "text-body-secondary" : "text-danger-emphasis") },
        [T.missing + ": "].concat(kindSpans(shift.missing, "data-missing-kind"))));
    }
    if (!cancelled && over) {
      td.appendChild(el("div", { className: "roster-overstaffed small " + (ended ? "text-body-secondary" : "text-warning-emphasis") },
        [T.over + ": "].concat(kindSpans(shift.over, "data-over-kind"))));
    }
    return td;
  }

  function renderChip(person, shift, open) {
    var movable = open && config.can.move && !person.checked_in;
    var chip = el("span", {
      className: "roster-chip", "data-assignment": person.assignment, "data-person": person.person,
      "data-shift": shift.id, draggable: movable ? "true" : null, title: movable ? T.drag_hint : null,
    }, [el("span", { className: "roster-name", text: person.name })]);
    if (person.checked_in) {
      chip.appendChild(el("i", { className: "bi bi-check-circle-fill text-success ms-1", title: T.checked_in, "aria-label": T.checked_in }));
    } else if (open && config.can.remove) {
      chip.appendChild(el("button", {
        type: "button", className: "roster-remove", "aria-label": fmt(T.remove, { name: person.name }),
        title: fmt(T.remove, { name: person.name }), "data-assignment": person.assignment, text: "×",
      }));
    }
    return chip;
  }

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
    await loadBoard();
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
      await loadBoard();
    });
  }

  async function moveAssignment(assignmentId, name, toShift) {
    var result = await api("POST", config.urls.assignments + assignmentId + "/move/", { shift: Number(toShift) });
    if (!result.ok) {
      showAlert("danger", fmt(T.move_refused, { name: name, reason: errorText(result) })).classList.add("roster-move-error");
      return;
    }
    await loadBoard();
  }

  body.addEventListener("click", function (event) {
    var remove = event.target.closest(".roster-remove");
    if (remove) {
      event.stopPropagation();
      removeAssignment(remove);
      return;
    }
    var cell = event.target.closest("td.roster-open");
    if (cell) openPicker(cell.dataset.shift);
  });

  body.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    var cell = event.target.closest("td.roster-open");
    if (cell && event.target === cell) {
      event.preventDefault();
      openPicker(cell.dataset.shift);
    }
  });

  body.addEventListener("dragstart", function (event) {
    var chip = event.target.closest && event.target.closest(".roster-chip[draggable=true]");
    if (!chip) return;
    dragging = { assignment: chip.dataset.assignment, shift: chip.dataset.shift, name: chip.querySelector(".roster-name").textContent };
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", chip.dataset.assignment);
    chip.classList.add("roster-dragging");
  });

  body.addEventListener("dragend", function (event) {
    dragging = null;
    body.querySelectorAll(".roster-drop, .roster-dragging").forEach(function (node) {
      node.classList.remove("roster-drop", "roster-dragging");
    });
  });

  function dropTarget(event) {
    if (!dragging) return null;
    var cell = event.target.closest("td.roster-cell[data-shift]");
    if (!cell || cell.dataset.shift === dragging.shift) return null;
    var info = shifts[cell.dataset.shift];
    return info && isOpen(info.shift) ? cell : null;
  }

  body.addEventListener("dragover", function (event) {
    var cell = dropTarget(event);
    if (!cell) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    cell.classList.add("roster-drop");
  });

  body.addEventListener("dragleave", function (event) {
    var cell = event.target.closest("td.roster-cell");
    if (cell && !cell.contains(event.relatedTarget)) cell.classList.remove("roster-drop");
  });

  body.addEventListener("drop", function (event) {
    var cell = dropTarget(event);
    if (!cell) return;
    event.preventDefault();
    var moving = dragging;
    dragging = null;
    cell.classList.remove("roster-drop");
    moveAssignment(moving.assignment, moving.name, cell.dataset.shift);
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

  function renderPickerHeader() {
    var info = shifts[pickerShift];
    if (!info) return;
    var shift = info.shift;
    document.getElementById("candidate-shift").textContent = fmt(T.shift_title, {
      post: info.post.school + " · " + info.post.name, date: info.date,
      period: config.periods[info.period], window: shift.window,
    });
    var current = document.getElementById("candidate-current");
    var names = shift.people.map(function (p) { return p.name + "（" + KIND[p.kind].short + "）"; });
    current.replaceChildren(
      el("div", {}, [el("strong", { text: T.on_shift + " " }), names.length ? names.join("、") : T.nobody_yet]),
    );
    if (Object.keys(shift.missing).length) {
      current.appendChild(el("div", { className: "text-danger-emphasis" }, [T.missing + ": "].concat(kindSpans(shift.missing, "data-missing-kind"))));
    }
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
    await loadBoard();
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
        await loadBoard();
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
        await loadBoard();
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
      loadBoard();
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

  window.huxueRoster = { reload: loadBoard, assign: assign, openPicker: openPicker };
  loadBoard();
})();
