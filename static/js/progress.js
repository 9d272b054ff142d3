// Progress controls on the roadmap page: submit without a reload, update the item and the bars
// in place, announce the change to screen readers, and offer d / i / s / n keys inside a control.
// Without this script the same forms post and redirect back to the item. The roadmap page's
// form is #pcf; an item's page and panel have their own (data-marks) around one control.
(function () {
  "use strict";

  // Keys and button values are the same codes (progress.models.STATUS_CODES).
  var KEYS = { d: "done", i: "in_progress", s: "skipped", n: "none" };
  // A control (div.pc) holds its buttons in this order; the page's one form #pcf posts them.
  // Each button is named after its item's key; the pressed one is the item's status.
  var STATES = ["done", "in_progress", "skipped"];
  var CODES = ["d", "i", "s"];

  function keyOf(control) {
    var button = control.querySelector("button");
    return button ? button.name : "";
  }

  function statusOf(control) {
    var pressed = control.querySelector('button[aria-pressed="true"]');
    if (!pressed) return "none";
    return STATES[Array.prototype.indexOf.call(control.querySelectorAll("button"), pressed)] || "none";
  }
  var latest = 0;

  function announce(text) {
    var region = document.querySelector("[data-progress-announcer]");
    if (!region) return;
    region.textContent = "";
    // A fresh text node after a tick makes screen readers read a repeated message again.
    window.setTimeout(function () { region.textContent = text; }, 30);
  }

  function showStatus(control, status) {
    control.querySelectorAll("button").forEach(function (button, index) {
      var pressed = STATES[index] === status;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      button.value = pressed ? "n" : CODES[index];
    });
  }

  function replaceFrom(html, selector) {
    var current = selector.charAt(0) === "#" ? document.getElementById(selector.slice(1)) : document.querySelector(selector);
    if (!current || !html) return;
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var fresh = holder.content.firstElementChild;
    if (fresh) current.replaceWith(fresh);
  }

  // Every control of the item on the page (the list's and the open panel's) shows one status.
  function showEverywhere(form, status) {
    var key = keyOf(form);
    document.querySelectorAll(".pc").forEach(function (control) {
      if (keyOf(control) === key) showStatus(control, status);
    });
  }

  function submit(form, status) {
    var previous = statusOf(form);
    var marks = form.closest("form[data-marks]") || document.getElementById("pcf");
    // #pcf's token stands outside it (form="pcf"); form.elements finds it either way.
    var token = marks.elements.namedItem("csrfmiddlewaretoken");
    var body = new URLSearchParams();
    body.set("status", status);
    if (token) body.set("csrfmiddlewaretoken", token.value);
    var sequence = ++latest;
    showEverywhere(form, status === "none" ? "none" : status);
    form.setAttribute("aria-busy", "true");
    fetch(marks.action + keyOf(form) + "/", {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "X-CSRFToken": token ? token.value : "",
      },
      body: body,
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.error || "The change was not saved.");
          return data;
        });
      })
      .then(function (data) {
        if (sequence !== latest) return;  // a newer change is on its way; let it draw
        replaceFrom(data.roadmap_html, "[data-progress-roadmap]");
        if (data.phase_id !== null) replaceFrom(data.phase_html, "#progress-phase-" + data.phase_id);
        Object.keys(data.parts || {}).forEach(function (id) { replaceFrom(data.parts[id], "#" + id); });
        document.dispatchEvent(new CustomEvent("rmf:marked"));
        announce(data.message);
      })
      .catch(function (error) {
        showEverywhere(form, previous);
        announce("Not saved: " + (error && error.message ? error.message : "network error") + ".");
      })
      .finally(function () { form.removeAttribute("aria-busy"); });
  }

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var marks = event.target.id === "pcf" || event.target.hasAttribute("data-marks");
    if (!marks || !window.fetch || !button || !button.value) return;
    var form = button.closest(".pc");
    if (!form) return;
    event.preventDefault();
    submit(form, KEYS[button.value] || button.value);
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var form = event.target.closest && event.target.closest(".pc");
    var status = KEYS[event.key];
    if (!form || !status) return;
    event.preventDefault();
    if (statusOf(form) !== status) submit(form, status);
  });
})();
