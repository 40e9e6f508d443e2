/* Processing progress: polls the version's JSON status and reloads the page when done. */
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progresso-texto]");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.finished) { window.location.reload(); return; }
        if (bar) { bar.value = s.progress; bar.textContent = s.progress + "%"; }
        if (text) { text.textContent = s.progress + "% — " + (s.progress_message || s.status_label); }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
