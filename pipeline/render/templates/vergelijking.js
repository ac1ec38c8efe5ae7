// Comparison page: choose which municipalities stand side by side (a large register has
// hundreds; the first few are shown until others are chosen), and find them by name; the
// tables and the chart show the chosen ones. Below, two to four municipalities' afspraken on
// one theme or topic stand in columns, each agreement's afspraken loaded from its own script
// (naast/<doc_id>.js, which calls afsprakenNaast) when it is first chosen.
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll("#gemeenten input.g-kies"));
  var cells = Array.prototype.slice.call(document.querySelectorAll("table [data-doc], #chart [data-doc]"));
  var search = document.getElementById("g-zoek");
  var count = document.getElementById("g-count");
  function apply() {
    var shown = {};
    var n = 0;
    boxes.forEach(function (box) {
      if (box.checked) { shown[box.value] = true; n += 1; }
    });
    cells.forEach(function (cell) { cell.classList.toggle("hidden", !shown[cell.dataset.doc]); });
    count.textContent = n + " van " + boxes.length + " gemeenten getoond";
  }
  function find() {
    var query = search.value.toLowerCase();
    boxes.forEach(function (box) {
      var label = box.parentNode;
      label.classList.toggle("hidden", query !== "" && label.textContent.toLowerCase().indexOf(query) < 0);
    });
  }
  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  search.addEventListener("input", find);
  apply();

  var choices = Array.prototype.slice.call(document.querySelectorAll("#naast-keuze select.naast-gemeente"));
  var subject = document.getElementById("naast-onderwerp");
  var columns = document.getElementById("naast-kolommen");
  var message = document.getElementById("naast-melding");
  var loaded = {};  // doc_id → its afspraken, rendered
  var requested = {};
  function chosen() {
    var seen = {};
    return choices.map(function (select) { return select.selectedOptions[0]; }).filter(function (option) {
      if (!option || !option.value || seen[option.value]) { return false; }
      seen[option.value] = true;
      return true;
    });
  }
  function matches(article, kind, key) {
    if (kind === "theme") { return article.dataset.theme === key; }
    return (" " + article.dataset.topics + " ").indexOf(" " + key + " ") >= 0;
  }
  function column(option, kind, key) {
    var section = document.createElement("section");
    section.className = "kolom";
    section.dataset.naast = option.value;
    var title = document.createElement("h3");
    title.textContent = option.textContent;
    section.appendChild(title);
    var note = document.createElement("p");
    note.className = "sub aantal";
    section.appendChild(note);
    if (!(option.value in loaded)) {
      note.textContent = "laden …";
      if (!requested[option.value]) {
        requested[option.value] = true;
        var script = document.createElement("script");
        script.src = option.dataset.script;
        document.head.appendChild(script);
      }
      return section;
    }
    var body = document.createElement("div");
    body.innerHTML = loaded[option.value];
    var n = 0;
    Array.prototype.slice.call(body.querySelectorAll("article")).forEach(function (article) {
      if (matches(article, kind, key)) { n += 1; } else { article.remove(); }
    });
    note.textContent = n === 0 ? "geen afspraken hierover" : n + (n === 1 ? " afspraak" : " afspraken");
    section.appendChild(body);
    return section;
  }
  function show() {
    var options = chosen();
    var parts = subject.value.split(":");
    columns.textContent = "";
    message.textContent = options.length < 2 ? "Kies ten minste twee gemeenten." : "";
    columns.className = "kolommen n" + options.length;
    options.forEach(function (option) { columns.appendChild(column(option, parts[0], parts[1])); });
  }
  window.afsprakenNaast = function (docId, html) {
    loaded[docId] = html;
    show();
  };
  choices.concat([subject]).forEach(function (select) { select.addEventListener("change", show); });
  show();
})();
