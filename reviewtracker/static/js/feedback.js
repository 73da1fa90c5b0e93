// Feedback form: live character count of the comment (the server enforces the same limit).
(function () {
  "use strict";
  var LIMIT = 10000;
  document.querySelectorAll("[data-count-for]").forEach(function (out) {
    var field = document.getElementById(out.getAttribute("data-count-for"));
    if (!field) { return; }
    var update = function () {
      var n = Array.from(field.value.normalize("NFC")).length;
      out.textContent = n + " / " + LIMIT;
      out.classList.toggle("too-long", n > LIMIT);
    };
    field.addEventListener("input", update);
    update();
  });
})();
