// The HQ dashboard's charts (Apache ECharts, vendored). The numbers and their translated
// labels come from the page's #dashboard-charts blob (the same numbers as the tables next to
// the charts, which stay the accessible and printable record); nothing is computed here.
// Each chart goes into its container #chart-<name> when the page has it.
(function () {
  "use strict";

  var blob = document.getElementById("dashboard-charts");
  if (!blob || !window.echarts) return;
  var data = JSON.parse(blob.textContent);
  var charts = [];

  function draw(name, option) {
    var node = document.getElementById("chart-" + name);
    if (!node || !data[name]) return;
    var chart = window.echarts.init(node, null, { renderer: "canvas" });
    chart.setOption(Object.assign({
      animation: false,
      // Drawn on the canvas: the HTML tooltip writes style="" attributes, which the
      // Content-Security-Policy refuses.
      tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
    }, option));
    charts.push(chart);
  }

  function bars(spec, extra) {
    return spec.series.map(function (series) {
      return Object.assign({ name: series.name, type: "bar", data: series.data }, extra || {});
    });
  }

  var trend = data.trend;
  if (trend) {
    draw("trend", {
      legend: { top: 0 },
      xAxis: { type: "category", data: trend.labels },
      yAxis: trend.axes.map(function (name, index) {
        return { type: "value", name: name, minInterval: 1, splitLine: { show: index === 0 } };
      }),
      series: trend.series.map(function (series) {
        return { name: series.name, type: series.type, yAxisIndex: series.axis, data: series.data,
                 smooth: false, symbolSize: 6 };
      }),
    });
  }

  var league = data.league;
  if (league) {
    draw("league", {
      xAxis: { type: "category", data: league.labels, axisLabel: { interval: 0, rotate: league.labels.length > 8 ? 30 : 0 } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: bars(league, { label: { show: true, position: "top", formatter: "{c}%" } }),
    });
  }

  var incidents = data.incidents;
  if (incidents) {
    draw("incidents", {
      xAxis: { type: "category", data: incidents.labels, axisLabel: { interval: 0, rotate: 20 } },
      yAxis: { type: "value", minInterval: 1 },
      series: bars(incidents, { label: { show: true, position: "top" } }),
    });
  }

  var hazards = data.hazards;
  if (hazards) {
    draw("hazards", {
      legend: { top: 0 },
      xAxis: { type: "category", data: hazards.labels, axisLabel: { interval: 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: bars(hazards, { stack: "status" }),
    });
  }

  function resizeAll() {
    charts.forEach(function (chart) { chart.resize(); });
  }
  window.addEventListener("resize", resizeAll);
  // Printed on A4 the containers are narrower than the screen (static/css/dashboard.css):
  // draw again at the printed size, and back after.
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
