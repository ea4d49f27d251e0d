// newsweave pages: citation markers open the sentences that support a brief sentence.
// No framework, no network: the evidence is already in the page, hidden until asked for.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button.cite").forEach(function (button) {
    button.addEventListener("click", function () {
      var panel = document.getElementById(button.getAttribute("aria-controls"));
      if (!panel) {
        return;
      }
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
      panel.hidden = open;
    });
  });
  // On an article page opened from a citation, bring the cited sentence into view.
  var target = document.querySelector(".clean-text .target");
  if (target) {
    target.scrollIntoView({ block: "center" });
  }
});
