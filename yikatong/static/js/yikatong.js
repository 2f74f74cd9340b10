// Page behaviour without inline script (the Content-Security-Policy allows scripts from static files only):
//   <button data-ykt-print>           prints the page
//   <form data-ykt-confirm="问题？">   asks before submitting
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-ykt-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
document.addEventListener("submit", function (event) {
  var form = event.target.closest("[data-ykt-confirm]");
  if (form && !window.confirm(form.getAttribute("data-ykt-confirm"))) {
    event.preventDefault();
  }
});
