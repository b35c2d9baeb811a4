// Site-wide enhancements. Everything works without JavaScript; this only makes it nicer.
// Discussion behaviour (spoilers, quote-reply) lives in comments.js.
document.addEventListener("DOMContentLoaded", () => {
  // Close the account menu when clicking elsewhere.
  document.addEventListener("click", (event) => {
    document.querySelectorAll("details.account-menu[open]").forEach((menu) => {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
});
