// Exports page: show a busy state while the server writes the file (no inline scripts: CSP).
(function () {
  "use strict";
  document.querySelectorAll("form[data-export-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var status = form.querySelector("[data-export-status]");
      form.setAttribute("aria-busy", "true");
      if (status) {
        status.innerHTML = "";
        var spinner = document.createElement("span");
        spinner.className = "spinner-border spinner-border-sm me-1";
        spinner.setAttribute("aria-hidden", "true");
        status.appendChild(spinner);
        status.appendChild(document.createTextNode(form.getAttribute("data-busy-text") || ""));
      }
    });
  });
  // The page comes back from the browser cache after "back": drop the busy state.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-export-form]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      var status = form.querySelector("[data-export-status]");
      if (status) { status.innerHTML = ""; }
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    });
  });
})();
