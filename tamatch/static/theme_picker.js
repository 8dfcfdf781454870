// The theme picker: over plain grouped check boxes (they work without script), add a filter
// box, folding groups and a count of the themes ticked. No inline script or style (CSP).
(function () {
  "use strict";
  function setUp(picker) {
    var legend = picker.querySelector("legend");
    var tools = document.createElement("div");
    tools.className = "theme-picker-tools mb-2";
    var id = "theme-filter-" + Math.random().toString(36).slice(2, 8);
    var label = document.createElement("label");
    label.className = "form-label";
    label.htmlFor = id;
    label.textContent = picker.dataset.filterLabel || "Filter themes";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "form-control";
    input.autocomplete = "off";
    var status = document.createElement("p");
    status.className = "form-text mb-0";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    tools.append(label, input, status);
    legend.after(tools);

    var groups = Array.prototype.slice.call(picker.querySelectorAll("[data-theme-group]"));
    groups.forEach(function (group) {
      var groupLegend = group.querySelector("legend");
      var body = group.querySelector(".choice-list");
      body.id = body.id || id + "-" + groups.indexOf(group);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link p-0 text-start fw-semibold";
      button.setAttribute("aria-controls", body.id);
      button.textContent = groupLegend.textContent;
      var ticked = group.querySelector("input:checked") !== null;
      button.setAttribute("aria-expanded", ticked ? "true" : "false");
      body.hidden = !ticked;
      groupLegend.textContent = "";
      groupLegend.append(button);
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") === "true";
        button.setAttribute("aria-expanded", open ? "false" : "true");
        body.hidden = open;
      });
    });

    function count() {
      var n = picker.querySelectorAll("input[type=checkbox]:checked").length;
      var template = picker.dataset.countText || "%(num)s selected";
      status.textContent = template.replace("%(num)s", String(n));
    }
    function filter() {
      var words = input.value.trim().toLowerCase();
      groups.forEach(function (group) {
        var shown = 0;
        group.querySelectorAll("[data-theme-option]").forEach(function (option) {
          var match = !words || option.textContent.toLowerCase().indexOf(words) !== -1;
          option.hidden = !match;
          if (match) {
            shown += 1;
          }
        });
        group.hidden = shown === 0;
        var body = group.querySelector(".choice-list");
        var button = group.querySelector("legend button");
        if (words && shown > 0) {
          body.hidden = false;
          button.setAttribute("aria-expanded", "true");
        }
      });
    }
    picker.addEventListener("change", count);
    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter in the filter must not submit the form
      }
    });
    count();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-theme-picker]").forEach(setUp);
  });
})();
