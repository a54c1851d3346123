// The order page's browser-side gate (the server checks again).
// The button stays enabled and focusable; until the box is ticked it explains
// why it does nothing, and a press moves focus to the box with the error.
(function () {
  "use strict";
  var form = document.getElementById("order-form");
  if (!form) { return; }
  var box = document.getElementById("id_consent");
  var button = document.getElementById("order-button");
  var hint = document.getElementById("order-hint");
  var error = document.getElementById("consent-error");
  var submitted = false;

  function showError() {
    error.hidden = false;
    box.setAttribute("aria-invalid", "true");
    box.setAttribute("aria-describedby", "consent-error");
    box.classList.add("is-invalid");
  }

  function update() {
    if (box.checked) {
      hint.hidden = true;
      button.removeAttribute("aria-describedby");
      error.hidden = true;
      box.removeAttribute("aria-invalid");
      box.removeAttribute("aria-describedby");
      box.classList.remove("is-invalid");
    } else {
      hint.hidden = false;
      button.setAttribute("aria-describedby", "order-hint");
    }
  }

  box.addEventListener("change", update);
  form.addEventListener("submit", function (event) {
    if (!box.checked) {
      event.preventDefault();
      showError();
      box.focus();
      return;
    }
    // A double click sends one request; the server is idempotent anyway.
    if (submitted) {
      event.preventDefault();
      return;
    }
    submitted = true;
  });
  update();
}());
