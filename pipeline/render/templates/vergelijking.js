// Comparison page: choose which municipalities stand side by side (a large register has
// hundreds; the first few are shown until others are chosen), and find them by name.
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll("#gemeenten input.g-kies"));
  var cells = Array.prototype.slice.call(document.querySelectorAll("table [data-doc]"));
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
})();
