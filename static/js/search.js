/* The header search suggests places while typing: the ARIA 1.2 combobox pattern (a text box
   with a list box popup). Arrow keys move through the suggestions, Enter opens the highlighted
   one (or submits the search when none is highlighted), Escape closes the list and clears the
   highlight. "/" or Ctrl-K (Cmd-K on a Mac) focuses the box from anywhere except another
   field. Without this file the box is a plain search form that submits to /search/. */
(function () {
  "use strict";

  var DELAY_MS = 150;

  function isTypingTarget(element) {
    if (!element || element === document.body) return false;
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable;
  }

  function samePath(url) {
    // Only paths on this site are followed: never another origin, never a script URL.
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" && url.charAt(1) !== "\\";
  }

  function setUp(form) {
    var input = form.querySelector("input[type=search]");
    var list = form.querySelector("[data-search-list]");
    var status = form.querySelector("[data-search-status]");
    var endpoint = form.getAttribute("data-search-suggest");
    if (!input || !list || !endpoint) return;

    var options = [];
    var active = -1;
    var timer = null;
    var asked = 0;
    var controller = null;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function highlight(index) {
      active = index;
      options.forEach(function (option, position) {
        option.element.setAttribute("aria-selected", position === index ? "true" : "false");
      });
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].element.id);
        options[index].element.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (!options.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      highlight(-1);
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function go(option) {
      if (samePath(option.url)) window.location.assign(option.url);
    }

    function show(suggestions) {
      list.textContent = "";
      options = suggestions.filter(function (s) { return samePath(s.url); }).map(function (s, index) {
        var item = document.createElement("li");
        item.id = list.id + "-" + index;
        item.className = "site-search__option";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        var title = document.createElement("span");
        title.className = "site-search__title";
        title.textContent = s.title;
        var where = document.createElement("span");
        where.className = "site-search__where";
        where.textContent = s.kind.charAt(0).toUpperCase() + s.kind.slice(1) + " · " + s.context;
        item.appendChild(title);
        item.appendChild(where);
        var option = { element: item, url: s.url };
        // mousedown, not click: the box keeps focus, so the list is still there to click.
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { go(option); });
        list.appendChild(item);
        return option;
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (status) {
        status.textContent = options.length
          ? options.length + (options.length === 1 ? " suggestion" : " suggestions") + ", use the arrow keys to choose"
          : "";
      }
      if (options.length && document.activeElement === input) open(); else close();
    }

    function ask() {
      var query = input.value.trim();
      var number = ++asked;
      if (controller) controller.abort();
      if (!query) { show([]); return; }
      controller = typeof AbortController === "function" ? new AbortController() : null;
      fetch(endpoint + "?q=" + encodeURIComponent(query.slice(0, 200)), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      }).then(function (body) {
        if (number === asked) show(body.suggestions || []);
      }).catch(function () { /* aborted or offline: the form still submits */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options.length) return;
        event.preventDefault();
        if (list.hidden) { open(); highlight(event.key === "ArrowDown" ? 0 : options.length - 1); return; }
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + options.length) % options.length);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          go(options[active]);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      }
    });

    input.addEventListener("focus", open);
    input.addEventListener("blur", close);

    document.addEventListener("keydown", function (event) {
      var slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey;
      var commandK = (event.key === "k" || event.key === "K") && (event.ctrlKey || event.metaKey) && !event.altKey;
      if (!slash && !commandK) return;
      if (isTypingTarget(event.target)) return;
      event.preventDefault();
      input.focus();
      input.select();
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-search-suggest]"), setUp);
})();
