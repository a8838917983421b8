/* Exam taking: countdown from the server's remaining seconds, autosave of each answer to the
   attempt's JSON endpoint, and a local queue so an answer given while offline is sent later
   (also after a reload). Without JavaScript the form's buttons save through a normal post. */
(function () {
  "use strict";
  var messages = {};
  try { messages = JSON.parse(document.getElementById("exam-messages").textContent); } catch (e) { messages = {}; }

  var timer = document.querySelector(".exam-timer");
  if (timer) {
    var remaining = parseInt(timer.dataset.remaining, 10) || 0;
    var endsAt = Date.now() + remaining * 1000;
    var value = timer.querySelector("[data-timer-value]");
    var tick = function () {
      var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      value.textContent = (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
      timer.classList.toggle("is-low", left <= 300);
      if (left <= 0) {
        value.textContent = messages.timeUp || "0:00";
        window.setTimeout(function () { window.location.href = timer.dataset.expiredUrl; }, 1500);
        return;
      }
      window.setTimeout(tick, 1000);
    };
    tick();
  }

  var form = document.querySelector("form[data-autosave]");
  if (!form) { return; }
  var status = form.querySelector("[data-save-status]");
  var position = parseInt(form.dataset.position, 10);
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var storeKey = "exam-pending:" + form.action;
  var pending = {};
  try { pending = JSON.parse(window.localStorage.getItem(storeKey) || "{}"); } catch (e) { pending = {}; }
  var inFlight = null;

  function persist() {
    try { window.localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* private mode */ }
  }
  function say(text, cls) {
    status.textContent = text;
    status.className = "exam-save-status small " + (cls || "muted");
  }
  function current() {
    var selected = [];
    form.querySelectorAll("input[name=option]:checked").forEach(function (input) { selected.push(parseInt(input.value, 10)); });
    return { position: position, selected: selected, flagged: form.querySelector("input[name=flagged]").checked };
  }
  function markNav(answer) {
    var cell = document.querySelector('.exam-nav-cell[data-position="' + answer.position + '"]');
    if (cell) {
      cell.classList.toggle("is-answered", answer.selected.length > 0);
      cell.classList.toggle("is-flagged", !!answer.flagged);
    }
    var count = document.querySelectorAll(".exam-nav-grid .exam-nav-cell.is-answered").length;
    var counter = document.querySelector("[data-answered-count]");
    var bar = document.querySelector(".exam-progress");
    if (counter) { counter.textContent = count; }
    if (bar) {
      bar.setAttribute("aria-valuenow", count);
      bar.firstElementChild.style.width = Math.round(100 * count / parseInt(bar.dataset.total, 10)) + "%";
    }
  }
  function flush() {
    var keys = Object.keys(pending);
    if (!keys.length) { return Promise.resolve(); }
    var answer = pending[keys[0]];
    say(messages.saving || "…");
    return fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(answer)
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (result) {
      if (result.status === 409) {
        delete pending[keys[0]]; persist();
        window.location.href = result.body.redirect;
        return;
      }
      if (result.status !== 200) {
        delete pending[keys[0]]; persist();
        say(result.body.error || messages.error, "exam-save-error");
        return;
      }
      if (pending[keys[0]] === answer) { delete pending[keys[0]]; persist(); }
      say((messages.saved || "Saved") + " " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" }), "exam-save-ok");
      return flush();
    }).catch(function () {
      say(messages.offline, "exam-save-error");
      window.setTimeout(save, 5000);
    });
  }
  function save() {
    if (inFlight) { return inFlight.then(save); }
    inFlight = flush().finally(function () { inFlight = null; });
    return inFlight;
  }

  // Answers queued before a reload or while offline: show this question's and send them all.
  var mine = pending[position];
  if (mine) {
    form.querySelectorAll("input[name=option]").forEach(function (input) { input.checked = mine.selected.indexOf(parseInt(input.value, 10)) >= 0; });
    form.querySelector("input[name=flagged]").checked = !!mine.flagged;
  }
  Object.keys(pending).forEach(function (key) { markNav(pending[key]); });
  save();

  form.addEventListener("change", function () {
    var answer = current();
    pending[position] = answer;
    persist();
    markNav(answer);
    save();
  });
  window.addEventListener("online", save);
  document.querySelectorAll(".exam-nav-cell[data-position], .exam-review-link").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!Object.keys(pending).length) { return; }
      event.preventDefault();
      save().then(function () { window.location.href = link.href; });
    });
  });
})();
