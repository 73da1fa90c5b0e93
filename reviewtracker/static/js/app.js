// ReviewTracker behaviour shared by all pages. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  // Ask before destructive actions: <form data-confirm="Really?">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // The button that sent the form may ask its own question (one form, "Save draft" and "Submit").
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // A double click must not post twice: disable the submit buttons once the form is on its way.
    if (!event.defaultPrevented && !form.hasAttribute("data-allow-resubmit")) {
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    }
  });
  // "Select all" checkboxes for bulk actions: <input type=checkbox data-select-all="name">.
  document.addEventListener("change", function (event) {
    var name = event.target.getAttribute && event.target.getAttribute("data-select-all");
    if (name) {
      document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
        box.checked = event.target.checked;
      });
    }
  });
  // Move focus to the error summary so keyboard and screen-reader users hear it.
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
  // Auto-submit filter selects marked data-autosubmit.
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
})();
