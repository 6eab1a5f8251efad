// Draws the indicator charts from the JSON the page embeds (no inline
// script: the CSP forbids it). The tables on the page carry the same data
// for screen readers and for printing.
(function () {
  "use strict";
  var el = document.getElementById("stats-data");
  if (!el || typeof echarts === "undefined") { return; }
  var data = JSON.parse(el.textContent);
  var report = data.report, labels = data.labels;
  var byKey = function (inds, key) {
    for (var i = 0; i < inds.length; i++) { if (inds[i].key === key) { return inds[i]; } }
    return null;
  };
  var val = function (ind) { return ind && ind.value !== null ? Math.round(ind.value * 10) / 10 : null; };
  var rates = ["full_online_rate", "on_time_rate", "satisfaction_rate", "one_window_rate"];
  var palette = ["#1d4f91", "#2f9e44", "#e8590c", "#7048e8", "#868e96"];

  var months = document.getElementById("chart-months");
  if (months && report.by_month.length > 0) {
    var series = rates.map(function (key) {
      return {
        name: byKey(report.by_month[0].indicators, key).name, type: "line", yAxisIndex: 1, smooth: true,
        data: report.by_month.map(function (g) { return val(byKey(g.indicators, key)); })
      };
    });
    series.unshift({
      name: labels.applications, type: "bar", yAxisIndex: 0, itemStyle: { color: "#cfe0f5" },
      data: report.by_month.map(function (g) { return val(byKey(g.indicators, "applications")); })
    });
    echarts.init(months).setOption({
      color: ["#cfe0f5"].concat(palette), tooltip: { trigger: "axis" }, legend: { type: "scroll", bottom: 0 },
      grid: { left: 48, right: 48, top: 24, bottom: 56 },
      xAxis: { type: "category", data: report.by_month.map(function (g) { return g.key; }) },
      yAxis: [{ type: "value", name: labels.count }, { type: "value", name: labels.rates, min: 0, max: 100 }],
      series: series
    });
  }

  var depts = document.getElementById("chart-departments");
  if (depts && report.by_department.length > 0) {
    var rows = report.by_department.filter(function (g) { return val(byKey(g.indicators, "applications")) > 0; });
    var names = rows.map(function (g) { return data.departments[g.key] || g.key; });
    echarts.init(depts).setOption({
      color: palette, tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { bottom: 0 },
      grid: { left: 120, right: 24, top: 16, bottom: 48 },
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: { type: "category", data: names, inverse: true },
      series: ["on_time_rate", "satisfaction_rate"].map(function (key) {
        return {
          name: byKey(rows[0].indicators, key).name, type: "bar",
          data: rows.map(function (g) { return val(byKey(g.indicators, key)); })
        };
      })
    });
  }
  window.addEventListener("resize", function () {
    [months, depts].forEach(function (c) { var i = c && echarts.getInstanceByDom(c); if (i) { i.resize(); } });
  });
})();
