// Filters on a document page: theme, party, "has a target", "has a deadline".
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("#afspraken tbody tr"));
  var theme = document.getElementById("f-theme");
  var party = document.getElementById("f-party");
  var target = document.getElementById("f-target");
  var deadline = document.getElementById("f-deadline");
  var count = document.getElementById("f-count");
  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!theme.value || row.dataset.theme === theme.value) &&
        (!party.value || row.dataset.parties.split("|").indexOf(party.value) >= 0) &&
        (!target.checked || row.dataset.target === "1") &&
        (!deadline.checked || row.dataset.deadline === "1");
      row.classList.toggle("hidden", !ok);
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " van " + rows.length + " afspraken";
  }
  [theme, party, target, deadline].forEach(function (el) { el.addEventListener("change", apply); });
  apply();
})();
