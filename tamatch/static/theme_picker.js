// The theme picker: over plain nested check boxes (group, subgroup, theme; they work without
// script), add a filter box, folding groups, a count of the themes ticked and keys: Escape
// clears the filter, Arrow Down moves from it to the first theme shown, Arrow Up and Down move
// between the themes shown. No inline script or style (CSP).
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
    status.id = id + "-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", status.id);
    tools.append(label, input, status);
    legend.after(tools);

    var groups = Array.prototype.slice.call(picker.querySelectorAll("[data-theme-group]"));
    var subgroups = Array.prototype.slice.call(picker.querySelectorAll("[data-theme-subgroup]"));
    var options = Array.prototype.slice.call(picker.querySelectorAll("[data-theme-option]"));
    groups.forEach(function (group, k) {
      var groupLegend = group.querySelector("legend");
      var body = group.querySelector(".theme-group-body");
      body.id = body.id || id + "-" + k;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link p-0 text-start fw-semibold";
      button.setAttribute("aria-controls", body.id);
      while (groupLegend.firstChild) {
        button.append(groupLegend.firstChild); // the name and code stay the legend's words
      }
      var ticked = group.querySelector("input:checked") !== null;
      button.setAttribute("aria-expanded", ticked ? "true" : "false");
      body.hidden = !ticked;
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
    function shownBoxes() {
      return options
        .filter(function (option) {
          return option.offsetParent !== null;
        })
        .map(function (option) {
          return option.querySelector("input");
        });
    }
    function filter() {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var total = 0;
      options.forEach(function (option) {
        var text = option.textContent.toLowerCase();
        var match = words.every(function (word) {
          return text.indexOf(word) !== -1;
        });
        option.hidden = !match;
        total += match ? 1 : 0;
      });
      subgroups.concat(groups).forEach(function (level) {
        level.hidden = level.querySelector("[data-theme-option]:not([hidden])") === null;
      });
      groups.forEach(function (group) {
        if (words.length && !group.hidden) {
          group.querySelector(".theme-group-body").hidden = false;
          group.querySelector("legend button").setAttribute("aria-expanded", "true");
        }
      });
      if (words.length && total === 0) {
        status.textContent = picker.dataset.noneText || "No theme matches.";
      } else {
        count();
      }
    }
    picker.addEventListener("change", count);
    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter in the filter must not submit the form
      } else if (event.key === "Escape" && input.value) {
        event.preventDefault();
        input.value = "";
        filter();
      } else if (event.key === "ArrowDown") {
        var first = shownBoxes()[0];
        if (first) {
          event.preventDefault();
          first.focus();
        }
      }
    });
    picker.addEventListener("keydown", function (event) {
      var box = event.target;
      if (box.type !== "checkbox" || (event.key !== "ArrowDown" && event.key !== "ArrowUp")) {
        return;
      }
      var boxes = shownBoxes();
      var at = boxes.indexOf(box);
      var next = event.key === "ArrowDown" ? boxes[at + 1] : boxes[at - 1];
      event.preventDefault();
      (next || (event.key === "ArrowUp" ? input : box)).focus();
    });
    count();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-theme-picker]").forEach(setUp);
  });
})();
