/* Live plain-language hints while staff type the description (advisory; the server
   shows the same checks after saving, so this file is optional). */
(function () {
  "use strict";
  var JARGON = ["outrossim", "mediante", "supracitado", "supracitada", "protocolizar",
    "protocolar", "deferimento", "indeferimento", "deferido", "indeferido", "requerente",
    "municipe", "requerimento", "doravante", "destarte", "ademais", "haja vista",
    "no tocante a", "nos termos de", "em epigrafe", "retromencionado", "ensejar", "exarar",
    "expedir", "anuencia", "obice", "precipuo", "tempestivamente", "in loco"];
  var IGNORED = ["CPF", "RG", "CEP", "SUS", "PDF", "SMS"];
  function plain(t) { return t.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function words(t) { return t.match(/[A-Za-zÀ-ÿ]+/g) || []; }
  function analyze(text) {
    var out = [];
    text.split(/(?<=[.!?;])\s+|\n+/).forEach(function (s) {
      var n = words(s).length;
      if (n > 25) { out.push("Frase longa (" + n + " palavras; prefira até 25): “" + s.slice(0, 80) + "”"); }
    });
    var longs = words(text).filter(function (w) { return w.length > 15 && w !== w.toUpperCase(); });
    if (longs.length) { out.push("Palavras longas, talvez difíceis: " + longs.join(", ") + "."); }
    (text.match(/\b[A-ZÁÉÍÓÚÂÊÔÃÕÇ]{2,}[0-9]*\b/g) || []).forEach(function (a) {
      if (IGNORED.indexOf(a) < 0 && text.indexOf("(" + a + ")") < 0 && out.indexOf("Sigla sem explicação: " + a + ".") < 0) {
        out.push("Sigla sem explicação: " + a + ".");
      }
    });
    var p = " " + plain(text) + " ";
    JARGON.forEach(function (j) {
      if (new RegExp("(^|[^a-z])" + j + "([^a-z]|$)").test(p)) { out.push("Jargão: “" + j + "”."); }
    });
    return out;
  }
  function setup() {
    var field = document.getElementById("id_description");
    if (!field) { return; }
    var box = document.createElement("div");
    box.className = "pl-relatorio";
    box.setAttribute("aria-live", "polite");
    field.parentNode.appendChild(box);
    function update() {
      var msgs = analyze(field.value);
      box.textContent = "";
      var title = document.createElement("p");
      title.textContent = msgs.length ? "Linguagem simples — sugestões (não impedem salvar):" : "Linguagem simples: nenhuma indicação.";
      box.appendChild(title);
      var ul = document.createElement("ul");
      msgs.forEach(function (m) { var li = document.createElement("li"); li.textContent = m; ul.appendChild(li); });
      box.appendChild(ul);
    }
    field.addEventListener("input", update);
    update();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setup); } else { setup(); }
})();
