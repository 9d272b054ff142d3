/* Roadmapfinder's progressive enhancements. Every page works without this file: the theme
   follows the system, all resources are shown, anchors still jump, forms still submit. */
(function () {
  "use strict";

  var THEME_KEY = "rmf-theme";
  var LANGUAGE_KEY = "rmf-resource-language";

  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (error) { return null; }
  }
  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (error) { /* not remembered */ }
  }

  /* Dark theme toggle: an explicit choice overrides prefers-color-scheme and is remembered. */
  function setUpThemeToggle() {
    var button = document.querySelector("[data-theme-toggle]");
    if (!button) return;
    var root = document.documentElement;
    var systemDark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
    function isDark() {
      var chosen = root.getAttribute("data-theme");
      if (chosen) return chosen === "dark";
      return Boolean(systemDark && systemDark.matches);
    }
    function sync() {
      button.setAttribute("aria-pressed", isDark() ? "true" : "false");
    }
    button.addEventListener("click", function () {
      var theme = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", theme);
      store(THEME_KEY, theme);
      sync();
    });
    if (systemDark && systemDark.addEventListener) systemDark.addEventListener("change", sync);
    button.hidden = false;
    sync();
  }

  /* Resource language filter: show all resources or those of one language. The choice is
     remembered in this browser. Everyone starts from "All": a signed-in learner's saved
     preference already lists that language first (server-side) and never hides the rest. */
  function setUpLanguageFilter() {
    var filter = document.querySelector("[data-language-filter]");
    if (!filter) return;
    var radios = Array.prototype.slice.call(filter.querySelectorAll("input[type=radio]"));
    var available = radios.map(function (radio) { return radio.value; });
    var resources = Array.prototype.slice.call(document.querySelectorAll(".resource[data-lang]"));
    var lists = Array.prototype.slice.call(document.querySelectorAll(".resources"));

    function apply(language) {
      resources.forEach(function (resource) {
        resource.hidden = Boolean(language) && resource.getAttribute("data-lang") !== language;
      });
      // A block whose resources are all filtered out disappears with its heading.
      lists.forEach(function (list) {
        var anyShown = list.querySelector(".resource:not([hidden])") !== null;
        var block = list.closest(".phase__resources, .roadmap-resources") || list;
        block.hidden = !anyShown;
      });
      radios.forEach(function (radio) { radio.checked = radio.value === language; });
    }

    var initial = stored(LANGUAGE_KEY) || "";
    if (available.indexOf(initial) === -1) initial = "";
    filter.addEventListener("change", function (event) {
      if (!event.target.matches("input[type=radio]")) return;
      store(LANGUAGE_KEY, event.target.value);
      apply(event.target.value);
    });
    filter.hidden = false;
    apply(initial);
  }

  /* Phase navigator: mark the phase being read, and keep its chip in view on phones. */
  function setUpPhaseNavigator() {
    var nav = document.querySelector("[data-phase-nav]");
    if (!nav || !("IntersectionObserver" in window)) return;
    var links = {};
    Array.prototype.forEach.call(nav.querySelectorAll("a[href^='#']"), function (link) {
      links[link.getAttribute("href").slice(1)] = link;
    });
    var visible = {};
    var current = null;
    function mark(id) {
      if (id === current || !links[id]) return;
      if (current && links[current]) links[current].removeAttribute("aria-current");
      links[id].setAttribute("aria-current", "location");
      current = id;
      // The roadmap page's script shows this phase under the overall bar.
      document.dispatchEvent(new CustomEvent("rmf:phase", { detail: { id: id } }));
      var list = nav.querySelector("ol");
      var link = links[id];
      if (list && list.scrollWidth > list.clientWidth) {
        list.scrollTo({ left: link.offsetLeft - 16, behavior: "auto" });
      }
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { visible[entry.target.id] = entry.isIntersecting; });
      var first = Object.keys(links).filter(function (id) { return visible[id]; })[0];
      if (first) mark(first);
    }, { rootMargin: "-20% 0px -70% 0px" });
    Object.keys(links).forEach(function (id) {
      var target = document.getElementById(id);
      if (target) observer.observe(target);
    });
  }

  /* Printing: answers of the FAQ print open; the print button is shown only with JS. */
  function setUpPrinting() {
    var button = document.querySelector("[data-print]");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    }
    var opened = [];
    window.addEventListener("beforeprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"), function (details) {
        details.open = true;
        opened.push(details);
      });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (details) { details.open = false; });
      opened = [];
    });
  }

  /* Catalog filters apply as soon as a select changes (the button remains for keyboards
     and for browsers without JavaScript). */
  function setUpAutosubmit() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-autosubmit]"), function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  /* Close the account menu when clicking elsewhere or pressing Escape. */
  function setUpUserMenu() {
    var menu = document.querySelector(".user-menu");
    if (!menu) return;
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }

  setUpThemeToggle();
  setUpLanguageFilter();
  setUpPhaseNavigator();
  setUpPrinting();
  setUpAutosubmit();
  setUpUserMenu();
})();
