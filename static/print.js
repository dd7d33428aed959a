// Turn "Print your summary" links into real print buttons. Without JavaScript they stay links to the PDF.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("a[data-print-href]").forEach(function (link) {
    link.setAttribute("href", link.getAttribute("data-print-href"));
    link.removeAttribute("download");
  });
  document.querySelectorAll("[data-print-now]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  if (new URLSearchParams(window.location.search).get("print") === "1" && document.querySelector("[data-print-now]")) {
    window.print();
  }
});
