// Draws the policy indicators' monthly trend from the JSON the page embeds
// (no inline script: the CSP forbids it). The table on the page carries the
// same numbers for screen readers and for printing.
(function () {
  "use strict";
  var el = document.getElementById("policy-stats-data");
  var box = document.getElementById("chart-policy-months");
  if (!el || !box || typeof echarts === "undefined") { return; }
  var data = JSON.parse(el.textContent), months = data.months, labels = data.labels;
  echarts.init(box).setOption({
    color: ["#1d4f91", "#2f9e44", "#e8590c"],
    tooltip: { trigger: "axis" }, legend: { bottom: 0 },
    grid: { left: 64, right: 64, top: 24, bottom: 56 },
    xAxis: { type: "category", data: months.map(function (m) { return m.month; }) },
    yAxis: [{ type: "value", name: labels.applications, minInterval: 1 }, { type: "value", name: labels.paid }],
    series: [
      { name: labels.applications, type: "bar", yAxisIndex: 0, data: months.map(function (m) { return m.applications; }) },
      { name: labels.paid, type: "line", yAxisIndex: 1, smooth: true, data: months.map(function (m) { return m.paid_yuan; }) },
      { name: labels.approval, type: "line", yAxisIndex: 0, show: false,
        data: months.map(function (m) { return m.decided ? m.approval_rate : null; }) }
    ]
  });
})();
