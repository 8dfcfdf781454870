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

// Copy buttons: <button data-copy="ID" data-copied="Copied" hidden> copies the value of the
// field ID. Hidden without script or clipboard access (the field stays selectable by hand).
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        var status = document.getElementById("copy-status");
        button.textContent = button.dataset.copied;
        if (status) {
          status.textContent = button.dataset.copied;
        }
      });
    });
  });
});
