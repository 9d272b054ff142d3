// Progress controls on the roadmap page: submit without a reload, update the item and the bars
// in place, announce the change to screen readers, and offer d / i / s / n keys inside a control.
// Without this script the same forms post and redirect back to the item. The roadmap page's
// form is #pcf; an item's page and panel have their own (data-marks) around one control.
(function () {
  "use strict";

  var KEYS = { d: "done", i: "in_progress", s: "skipped", n: "none" };
  // A control (div.pc) holds its buttons in this order; the page's one form #pcf posts them.
  var STATES = ["done", "in_progress", "skipped"];
  var latest = 0;

  function announce(text) {
    var region = document.querySelector("[data-progress-announcer]");
    if (!region) return;
    region.textContent = "";
    // A fresh text node after a tick makes screen readers read a repeated message again.
    window.setTimeout(function () { region.textContent = text; }, 30);
  }

  function showStatus(control, status) {
    control.dataset.status = status;
    control.querySelectorAll("button").forEach(function (button, index) {
      var pressed = STATES[index] === status;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      button.value = pressed ? "none" : STATES[index];
    });
  }

  function replaceFrom(html, selector) {
    var current = document.querySelector(selector);
    if (!current || !html) return;
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var fresh = holder.content.firstElementChild;
    if (fresh) current.replaceWith(fresh);
  }

  // Every control of the item on the page (the list's and the open panel's) shows one status.
  function showEverywhere(form, status) {
    var selector = '.pc[data-topic="' + form.dataset.topic + '"]';
    document.querySelectorAll(selector).forEach(function (control) { showStatus(control, status); });
  }

  function submit(form, status) {
    var previous = form.dataset.status;
    var marks = form.closest("form[data-marks]") || document.getElementById("pcf");
    // #pcf's token stands outside it (form="pcf"); form.elements finds it either way.
    var token = marks.elements.namedItem("csrfmiddlewaretoken");
    var body = new URLSearchParams();
    body.set("status", status);
    if (token) body.set("csrfmiddlewaretoken", token.value);
    var sequence = ++latest;
    showEverywhere(form, status === "none" ? "none" : status);
    form.setAttribute("aria-busy", "true");
    fetch(marks.action + form.dataset.topic + "/", {
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
        if (data.phase_id !== null) {
          replaceFrom(data.phase_html, '[data-progress-phase="' + data.phase_id + '"]');
        }
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
    submit(form, button.value);
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var form = event.target.closest && event.target.closest(".pc");
    var status = KEYS[event.key];
    if (!form || !status) return;
    event.preventDefault();
    if (form.dataset.status !== status) submit(form, status);
  });
})();
