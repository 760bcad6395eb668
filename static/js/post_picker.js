// A filter box over a long post <select> (the spot-check form's hundred posts, grouped by
// station): typing narrows the options to those whose school, post or station contains the
// text. When one post is left it is chosen, and the select's change event tells the page
// (the spot-check form then loads who is on that post's shift). The select stays the input
// that is sent; the box has no name.
(function () {
  "use strict";

  var box = document.getElementById("post-filter");
  if (!box) return;
  var select = document.getElementById(box.dataset.filterFor);
  if (!select) return;
  var none = document.getElementById("post-filter-none");

  function norm(text) { return String(text || "").replace(/\s+/g, "").toLowerCase(); }

  function filter() {
    var words = box.value.trim().split(/\s+/).map(norm).filter(Boolean);
    var shown = [];
    Array.prototype.forEach.call(select.querySelectorAll("option"), function (option) {
      if (!option.value) return; // the empty choice stays
      var group = option.parentElement.tagName === "OPTGROUP" ? option.parentElement.label : "";
      var text = norm(group + " " + option.textContent);
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      option.hidden = !match;
      option.disabled = !match && !option.selected;
      if (match) shown.push(option);
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
    if (none) none.hidden = shown.length > 0;
    if (words.length && shown.length === 1 && !shown[0].selected) {
      shown[0].selected = true;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  box.hidden = false;
  box.addEventListener("input", filter);
  // Enter in the box must not submit the whole form; it opens the narrowed list instead.
  box.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    select.focus();
    if (typeof select.showPicker === "function") {
      try { select.showPicker(); } catch (e) { /* not allowed here: the focus is enough */ }
    }
  });
})();
