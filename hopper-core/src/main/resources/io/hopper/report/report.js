// Draws the report's charts with Chart.js from the fit's numbers embedded as JSON (see HtmlReport.java).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("fit-data").textContent);
  Chart.defaults.animation = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#3e4c59";

  function fade(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  function curves(id, training, validation, yTitle) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    var datasets = [];
    data.configs.forEach(function (c) {
      // a search's configuration has its own metrics iterations; a fit's share the fit's
      var xs = c.iterations || data.iterations;
      var points = function (values) {
        return values.map(function (v, i) { return { x: xs[i], y: v }; });
      };
      // a configuration stopped early ends in a cross
      var marks = function (values, style, size) {
        return values.map(function (v, i) { return c.stopped && i === values.length - 1 ? style : size; });
      };
      var line = function (label, values, dash) {
        return { label: label, data: points(values), borderColor: c.colour, backgroundColor: c.colour, borderDash: dash,
          borderWidth: 2, tension: 0, pointStyle: marks(values, "crossRot", "circle"), pointRadius: marks(values, 7, 2.5),
          pointBorderWidth: marks(values, 2.5, 1) };
      };
      if (c[training].length) {
        datasets.push(line("mst " + c.mstKey, c[training], []));
      }
      if (c[validation].length) {
        datasets.push(line("mst " + c.mstKey + " (validation)", c[validation], [6, 4]));
      }
    });
    new Chart(canvas, {
      type: "line",
      data: { datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, parsing: true,
        scales: {
          x: { type: "linear", title: { display: true, text: "iteration" }, ticks: { precision: 0 } },
          y: { title: { display: true, text: yTitle } }
        },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 18, font: { size: 11 },
          filter: function (item) { return item.text.indexOf("(validation)") < 0; } } } }
      }
    });
  }

  curves("loss", "trainingLoss", "validationLoss", "loss");
  curves("metric", "trainingMetric", "validationMetric", "metric");

  var workers = [];
  for (var w = 0; w < data.workers; w++) { workers.push("worker " + w); }
  var gantt = data.configs.map(function (c) {
    var units = data.units.filter(function (u) { return u[0] === c.mstKey; });
    return {
      label: "mst " + c.mstKey,
      data: units.map(function (u) {
        return { x: [u[5], Math.max(u[6], u[5] + 1e-4)], y: "worker " + u[3], iteration: u[1], partition: u[2], phase: u[4] };
      }),
      backgroundColor: units.map(function (u) { return u[4] === "eval" ? fade(c.colour, 0.35) : fade(c.colour, 0.9); }),
      borderColor: "rgba(255,255,255,0.9)", borderWidth: 1, borderSkipped: false,
      grouped: false, barPercentage: 0.8, categoryPercentage: 0.95
    };
  });
  if (!document.getElementById("gantt")) { return; }
  new Chart(document.getElementById("gantt"), {
    type: "bar",
    data: { labels: workers, datasets: gantt },
    options: {
      indexAxis: "y", responsive: true, maintainAspectRatio: false,
      scales: {
        x: { type: "linear", min: 0, title: { display: true, text: "seconds since the fit started" } },
        y: { type: "category", labels: workers }
      },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 18, font: { size: 11 } } },
        tooltip: { callbacks: { label: function (ctx) {
          var r = ctx.raw;
          return ctx.dataset.label + ", " + r.phase + ", iteration " + r.iteration + ", partition " + r.partition + ": "
              + r.x[0].toFixed(3) + "-" + r.x[1].toFixed(3) + " s";
        } } }
      }
    }
  });
})();
