// Ask before destructive actions: any form or button with data-confirm="question".
// Kept in a file (no inline handlers) so the Content-Security-Policy can forbid inline script.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var button = event.submitter;
  var question = (button && button.dataset.confirm) || form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// A form shown again with errors: move the focus to its summary, which links to each field.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});
