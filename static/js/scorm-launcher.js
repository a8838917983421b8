/* The SCORM launcher, on the content origin. It hosts the run-time API (scorm-again) where the
   package looks for it (window.API for 1.2, window.API_1484_11 for 2004, in a parent frame of
   the same origin), loads it with the learner's stored data, which the lesson page sends, and
   relays every change back to the lesson page, which commits it to the server. */
(function () {
  "use strict";
  var body = document.body;
  var siteOrigin = body.dataset.siteOrigin;
  var version = body.dataset.version;
  var frame = document.getElementById("scorm-content");
  var api = null;

  function send(reason) {
    if (!api) return;
    var data = api.renderCMIToJSONObject();
    window.parent.postMessage({ type: "scorm:cmi", reason: reason, cmi: data.cmi || data }, siteOrigin);
  }

  function start(cmi) {
    var settings = { autocommit: false, lmsCommitUrl: false, logLevel: 5 };
    if (version === "1.2") {
      api = new window.Scorm12API(settings);
      window.API = api;
      api.on("LMSSetValue.cmi.*", function () { send("set"); });
      api.on("LMSCommit", function () { send("commit"); });
      api.on("LMSFinish", function () { send("finish"); });
    } else {
      api = new window.Scorm2004API(settings);
      window.API_1484_11 = api;
      api.on("SetValue.cmi.*", function () { send("set"); });
      api.on("Commit", function () { send("commit"); });
      api.on("Terminate", function () { send("finish"); });
    }
    api.loadFromJSON(cmi || {});
    frame.src = body.dataset.launch;
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== siteOrigin || event.source !== window.parent) return;
    var message = event.data || {};
    if (message.type === "scorm:start" && !api) start(message.cmi);
  });
  window.parent.postMessage({ type: "scorm:ready" }, siteOrigin);
})();
