/* Applies the remembered theme before the first paint (loaded synchronously in <head>).
   Without a remembered choice the page follows prefers-color-scheme through CSS alone. */
(function () {
  try {
    var theme = window.localStorage.getItem("rmf-theme");
    if (theme === "dark" || theme === "light") {
      document.documentElement.setAttribute("data-theme", theme);
    }
  } catch (error) {
    /* Storage may be blocked (private mode, strict settings): follow the system theme. */
  }
})();
