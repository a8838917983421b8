/* The lesson page's side of a SCORM lesson. It answers the launcher (content origin) with the
   learner's stored data, and commits every change the package reports: debounced while the
   learner works, at once when the package commits or finishes, and with a keepalive request
   when the page goes away, so a reload or another device resumes where the learner was. */
(function () {
  "use strict";
  var frame = document.querySelector("[data-scorm-frame]");
  var config = JSON.parse(document.getElementById("scorm-config").textContent);
  var status = document.querySelector("[data-scorm-status]");
  var done = document.querySelector("[data-scorm-done]");
  var csrf = (document.querySelector(".scorm-player [name=csrfmiddlewaretoken]") || {}).value || "";
  var pending = null;
  var timer = null;
  var DEBOUNCE_MS = 2000;

  function commit(keepalive) {
    window.clearTimeout(timer);
    if (!pending || !config.commitUrl) return;
    var body = JSON.stringify({ cmi: pending });
    pending = null;
    fetch(config.commitUrl, {
      method: "POST",
      credentials: "same-origin",
      keepalive: keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: body,
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (result) {
      if (result && result.lesson_done && done && done.hidden) {
        done.hidden = false;
        if (status) status.textContent = done.dataset.message || status.textContent;
        document.dispatchEvent(new CustomEvent("scorm:lesson-done", { detail: result }));
      }
    }).catch(function () {
      pending = pending || JSON.parse(body).cmi;  // keep it for the next try
    });
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== config.contentOrigin || event.source !== frame.contentWindow) return;
    var message = event.data || {};
    if (message.type === "scorm:ready") {
      frame.contentWindow.postMessage({ type: "scorm:start", cmi: config.cmi }, config.contentOrigin);
    } else if (message.type === "scorm:cmi" && message.cmi && typeof message.cmi === "object") {
      pending = message.cmi;
      window.clearTimeout(timer);
      if (message.reason === "set") timer = window.setTimeout(commit, DEBOUNCE_MS);
      else commit(message.reason === "finish");
    }
  });
  window.addEventListener("pagehide", function () { commit(true); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") commit(true);
  });
})();
