// Shows the print button (hidden without JavaScript) and prints the page on click.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll(".js-print")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
