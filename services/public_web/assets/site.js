// The public pages' one script, served by the node at /assets/site.js. The pages work without
// it; it adds a "copy the link" button next to a new share link, and folds the catalogue's
// filters on a narrow screen so that the results come first.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var filters = document.querySelector("details.facets-panel");
  if (filters && window.matchMedia("(max-width: 50rem)").matches) filters.open = false;
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copy).then(function () {
        button.textContent = button.dataset.copied;
      });
    });
  });
});
