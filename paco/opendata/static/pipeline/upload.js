/* Upload with a progress bar (progressive enhancement: without JS the form posts normally). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-envio]");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var box = form.querySelector("[data-progresso]");
  var bar = box && box.querySelector("progress");
  var text = box && box.querySelector("[data-progresso-texto]");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    if (box) { box.hidden = false; }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable || !bar) { return; }
      var pct = Math.floor((e.loaded * 100) / e.total);
      bar.value = pct;
      bar.textContent = pct + "%";
      if (text) { text.textContent = "Enviando: " + pct + "%"; }
    });
    xhr.addEventListener("load", function () {
      var type = xhr.getResponseHeader("Content-Type") || "";
      if (xhr.status === 202 && type.indexOf("application/json") === 0) {
        var body = JSON.parse(xhr.responseText);
        if (text) { text.textContent = "Arquivo recebido. Abrindo o processamento…"; }
        window.location.assign(body.version_url);
        return;
      }
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      if (button) { button.disabled = false; }
      if (text) { text.textContent = "O envio falhou (conexão interrompida). Tente novamente."; }
    });
    xhr.send(new FormData(form));
  });
})();
