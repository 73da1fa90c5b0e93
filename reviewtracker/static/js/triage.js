// Triage queue: choosing "everything matching" clears single selections so the intent is unambiguous.
(function () {
  "use strict";
  var all = document.getElementById("scope-all");
  var selected = document.getElementById("scope-selected");
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "ids" && event.target.checked && selected) {
      selected.checked = true;
    }
  });
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="ids"]').forEach(function (box) { box.checked = false; });
    });
  }
})();
