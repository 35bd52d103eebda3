/* DX Support Desk reports: draw each chart from the JSON the page embeds (json_script "report-charts").
 * Every chart has a table with the same figures right under it. Colours: the Okabe–Ito palette, readable for
 * colour-blind users; bars also differ by border style so that colour is not the only cue. */
(function () {
  "use strict";
  var source = document.getElementById("report-charts");
  if (!source || typeof window.Chart === "undefined") { return; }
  var OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
  var DASHES = [[], [6, 3], [2, 2], [8, 2, 2, 2]];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var charts;
  try { charts = JSON.parse(source.textContent); } catch (e) { return; }
  charts.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) { return; }
    var horizontal = spec.type === "bar" && spec.horizontal;
    if (horizontal) {
      canvas.parentElement.style.height = Math.max(240, 28 * spec.labels.length * Math.max(1, spec.datasets.length / 2) + 80) + "px";
    }
    var datasets = spec.datasets.map(function (dataset, index) {
      var colour = OKABE_ITO[index % OKABE_ITO.length];
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: spec.type === "line" ? colour : colour + "CC",
        borderColor: colour,
        borderWidth: spec.type === "line" ? 2 : 1,
        borderDash: spec.type === "line" ? DASHES[index % DASHES.length] : [],
        pointStyle: ["circle", "rect", "triangle", "rectRot"][index % 4],
        pointRadius: 4,
        tension: 0
      };
    });
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : undefined,
        plugins: { legend: { position: "bottom" } },
        scales: horizontal
          ? { x: { beginAtZero: true, max: spec.percent ? 100 : undefined } }
          : { y: { beginAtZero: true, max: spec.percent ? 100 : undefined } }
      }
    });
  });
})();
