// The roadmap page opens an item in place: a click on an item's title fetches that item's panel
// (its page's main part, /roadmaps/<slug>/items/<key>/panel/) into a dialog, a side panel on
// wide screens and an overlay on phones, and puts the item's own address in the location bar,
// so reloading or sharing opens the item page. Escape or the close button closes the dialog and
// returns focus to the title. Without this script each title is a link to the item's page.
(function () {
  "use strict";

  var dialog = null;
  var opener = null;  // the title link focus returns to
  var roadmapUrl = window.location.pathname;
  var latest = 0;

  function itemPath(path) {
    return /\/items\/[a-z0-9-]+\/$/.test(path);
  }

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "item-panel";
    dialog.setAttribute("aria-labelledby", "item-view-title");
    var bar = document.createElement("div");
    bar.className = "item-panel__bar";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "item-panel__close";
    close.setAttribute("aria-label", "Close item");
    close.textContent = "×";
    close.addEventListener("click", function () { dialog.close(); });
    bar.appendChild(close);
    var content = document.createElement("div");
    content.className = "item-panel__content";
    dialog.appendChild(bar);
    dialog.appendChild(content);
    // A click on the backdrop (outside the panel's box) closes it, as Escape does.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close();
    });
    dialog.addEventListener("close", onClose);
    document.body.appendChild(dialog);
  }

  function onClose() {
    document.documentElement.classList.remove("item-panel-open");
    if (itemPath(window.location.pathname)) {
      var key = dialog.dataset.item || "";
      history.replaceState(null, "", roadmapUrl + (key ? "#topic-" + key : ""));
    }
    if (opener && document.contains(opener)) opener.focus();
  }

  function show(url, link, push) {
    if (!dialog) build();
    var sequence = ++latest;
    var content = dialog.querySelector(".item-panel__content");
    return fetch(url + "panel/", { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        if (sequence !== latest) return;
        content.innerHTML = html;
        var article = content.querySelector("[data-item]");
        dialog.dataset.item = article ? article.dataset.item : "";
        opener = link;
        if (push) history.pushState({ rmfItem: dialog.dataset.item }, "", url);
        if (!dialog.open) {
          document.documentElement.classList.add("item-panel-open");
          dialog.showModal();
        }
        content.scrollTop = 0;
        dialog.querySelector(".item-panel__close").focus();
      })
      .catch(function () {
        // The item page works on its own: go there rather than show a broken panel.
        if (sequence === latest) window.location.assign(url);
      });
  }

  function linkFor(key) {
    return document.querySelector('#topic-' + CSS.escape(key) + " > p > a");
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".items > li > p > a");
    if (!link || !window.fetch || typeof HTMLDialogElement !== "function") return;
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;  // a new tab or window gets the item's page
    }
    event.preventDefault();
    show(link.pathname, link, true);  // titles are relative links: resolve before the address moves
  });

  window.addEventListener("popstate", function () {
    var path = window.location.pathname;
    if (itemPath(path)) {
      var key = path.split("/").filter(Boolean).pop();
      show(path, linkFor(key), false);
    } else if (dialog && dialog.open) {
      dialog.close();
    }
  });
})();
