/* The roadmap page's reading aids: phases that fold, a "hide done items" switch and the current
   phase under the overall bar. Without this file every phase is open and every item shows: the
   markup is never folded, this script folds it.

   - Each phase's heading becomes a disclosure button (aria-expanded, aria-controls) for the
     phase's body. A learner's choice is remembered per roadmap in this browser; without a
     choice, phases a signed-in learner completed start folded.
   - Following a link to a folded phase or to something in it (the overview, the navigator, a
     search result's #topic-... address) unfolds that phase first.
   - "Hide done items" is a switch (role=switch, aria-checked), remembered per roadmap, and says
     how many items it hid. An item marked done while hidden stays until focus leaves it, so
     the button just pressed never vanishes under the keyboard. */
(function () {
  "use strict";

  var form = document.getElementById("pcf");
  if (!form) return;
  var roadmapKey = form.getAttribute("action") || window.location.pathname;
  var FOLDS_KEY = "rmf-folds:" + roadmapKey;
  var HIDE_KEY = "rmf-hide-done:" + roadmapKey;

  function read(key) {
    try { return window.localStorage.getItem(key); } catch (error) { return null; }
  }
  function write(key, value) {
    try { window.localStorage.setItem(key, value); } catch (error) { /* not remembered */ }
  }
  function readFolds() {
    try { return JSON.parse(read(FOLDS_KEY) || "{}") || {}; } catch (error) { return {}; }
  }

  var announcer = null;
  function announce(text) {
    announcer = announcer || document.querySelector("[data-progress-announcer]");
    if (!announcer) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 30);
  }

  /* --- Folding phases --------------------------------------------------------------------- */
  var phases = Array.prototype.slice.call(form.querySelectorAll("section.phase"));
  var folds = readFolds();
  var signedIn = document.querySelector('[data-learner="account"]') !== null;

  function parts(phase) {
    var body = phase.querySelector(".phase__body");
    var button = phase.querySelector(".phase__toggle");
    return { body: body, button: button };
  }

  function setOpen(phase, open) {
    var found = parts(phase);
    if (!found.body || !found.button) return;
    found.body.hidden = !open;
    found.button.setAttribute("aria-expanded", open ? "true" : "false");
    phase.classList.toggle("phase--folded", !open);
  }

  function remember(phase, open) {
    folds[phase.id] = open ? 1 : 0;
    write(FOLDS_KEY, JSON.stringify(folds));
  }

  function isComplete(phase) {
    var position = phase.id.replace("phase-", "");
    return document.querySelector("#nvp-" + position + ".nvp--done") !== null;
  }

  phases.forEach(function (phase) {
    var heading = phase.querySelector(".phase__title");
    var body = phase.querySelector(".phase__body");
    if (!heading || !body) return;
    // The heading's words move into the button, so the button is named by the phase.
    var button = document.createElement("button");
    button.type = "button";
    button.className = "phase__toggle";
    button.setAttribute("aria-controls", body.id);
    while (heading.firstChild) button.appendChild(heading.firstChild);
    heading.appendChild(button);
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      setOpen(phase, open);
      remember(phase, open);
    });
    var chosen = folds[phase.id];
    var open = chosen === undefined ? !(signedIn && isComplete(phase)) : chosen === 1;
    setOpen(phase, open);
  });

  function revealTarget(id) {
    if (!id) return null;
    var target = document.getElementById(id);
    if (!target) return null;
    // Going to a folded phase (the overview, the navigator) or to anything in it opens it.
    var phase = target.closest("section.phase");
    if (phase && phase.classList.contains("phase--folded")) {
      setOpen(phase, true);
      remember(phase, true);
    }
    var item = target.closest(".items > li");
    if (item && document.body.classList.contains("hide-done")) item.classList.add("keep");
    return target;
  }

  // Before the browser scrolls to an in-page link's target, make sure the target is shown.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (link) revealTarget(decodeURIComponent(link.getAttribute("href").slice(1)));
  }, true);
  window.addEventListener("hashchange", function () {
    var target = revealTarget(decodeURIComponent(window.location.hash.slice(1)));
    if (target) target.scrollIntoView();
  });

  /* --- Hide done items ---------------------------------------------------------------------- */
  var toggle = document.querySelector("[data-hide-done]");
  var DONE = '.items > li:has(> .pc > button:first-child[aria-pressed="true"])';

  function doneCount() {
    try { return form.querySelectorAll(DONE).length; } catch (error) { return 0; }
  }

  function setHiding(hiding, say) {
    document.body.classList.toggle("hide-done", hiding);
    toggle.setAttribute("aria-checked", hiding ? "true" : "false");
    if (!hiding) {
      Array.prototype.forEach.call(form.querySelectorAll(".items > li.keep"), function (item) {
        item.classList.remove("keep");
      });
    }
    if (!say) return;
    var count = doneCount();
    if (hiding) {
      announce(count === 1 ? "1 done item hidden." : count + " done items hidden.");
    } else {
      announce("Done items shown.");
    }
  }

  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var hiding = toggle.getAttribute("aria-checked") !== "true";
      write(HIDE_KEY, hiding ? "1" : "0");
      setHiding(hiding, true);
    });
    setHiding(read(HIDE_KEY) === "1", false);
  }

  // An item in use stays visible while hiding done items; it goes once focus leaves it.
  form.addEventListener("focusin", function (event) {
    var item = event.target.closest(".items > li");
    if (item && document.body.classList.contains("hide-done")) item.classList.add("keep");
  });
  form.addEventListener("focusout", function (event) {
    var item = event.target.closest(".items > li");
    if (!item || (event.relatedTarget && item.contains(event.relatedTarget))) return;
    item.classList.remove("keep");
  });

  /* --- The current phase under the overall bar ---------------------------------------------- */
  var current = null;
  function showCurrent() {
    var line = document.querySelector("[data-current-phase]");
    if (!line || !current) return;
    var position = current.replace("phase-", "");
    var link = document.querySelector('[data-phase-nav] a[href="#' + current + '"]');
    var figures = document.getElementById("ovp-" + position);
    var name = link ? link.querySelector(".phase-nav__name") : null;
    var text = "Phase " + position + (name ? ": " + name.textContent : "");
    if (figures && figures.textContent) text += " · " + figures.textContent;
    line.textContent = text;
  }
  document.addEventListener("rmf:phase", function (event) {
    current = event.detail && event.detail.id && event.detail.id.indexOf("phase-") === 0 ? event.detail.id : current;
    showCurrent();
  });
  document.addEventListener("rmf:marked", showCurrent);

  /* --- The address's target, once folds and "hide done" are set ----------------------------- */
  // Folding moved everything under the folded phases: the address's target is scrolled to
  // again, where the browser's own jump (made before folding) no longer holds. A done item it
  // names stays shown while hiding done items.
  if (window.location.hash) {
    var initial = revealTarget(decodeURIComponent(window.location.hash.slice(1)));
    var moved = form.querySelector(".phase--folded") || document.body.classList.contains("hide-done");
    if (initial && moved) initial.scrollIntoView({ behavior: "instant" });
  }
})();
