/* The dashboard charts (监管看板): reads the json_script "dashboard-data" and draws with ECharts (vendored from
   npm by `make assets`). A click on a bar opens the list behind it (the same url as the table link). */
(function () {
  "use strict";
  var el = document.getElementById("dashboard-data");
  if (!el || typeof echarts === "undefined") { return; }
  var d = JSON.parse(el.textContent);
  var yuan = function (fen) { return Math.round(fen) / 100; };
  var charts = [];

  function bar(id, categories, series, urls) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var chart = echarts.init(node, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 60, right: 16, top: 30, bottom: 40 },
      xAxis: { type: "category", data: categories, axisLabel: { interval: 0, width: 110, overflow: "truncate" } },
      yAxis: { type: "value" },
      series: series.map(function (s) { return { name: s.name, type: "bar", data: s.data, itemStyle: { color: s.color } }; })
    });
    if (urls) {
      chart.on("click", function (p) { if (urls[p.dataIndex]) { window.location.href = urls[p.dataIndex]; } });
    }
    charts.push(chart);
  }

  var m = d.money_by_policy || [];
  bar("chart-money", m.map(function (r) { return r.label; }), [
    { name: "审核通过(元)", data: m.map(function (r) { return yuan(r.approved_fen); }), color: "#0d6efd" },
    { name: "发放成功(元)", data: m.map(function (r) { return yuan(r.paid_fen); }), color: "#198754" },
    { name: "发放失败(元)", data: m.map(function (r) { return yuan(r.failed_fen); }), color: "#dc3545" }
  ], m.map(function (r) { return r.url; }));
  var t = d.trend || [];
  bar("chart-trend", t.map(function (r) { return r.period; }), [
    { name: "审核通过(元)", data: t.map(function (r) { return yuan(r.approved_fen); }), color: "#0d6efd" }
  ], t.map(function (r) { return r.url; }));
  var p = d.progress || [];
  bar("chart-progress", p.map(function (r) { return r.label; }), [
    { name: "在办批次", data: p.map(function (r) { return r.count; }), color: "#6c757d" },
    { name: "超期", data: p.map(function (r) { return r.late; }), color: "#dc3545" }
  ], p.map(function (r) { return r.url; }));
  var f = d.findings || [];
  bar("chart-findings", f.map(function (r) { return r.rule + " " + r.state_label; }), [
    { name: "疑点", data: f.map(function (r) { return r.count; }), color: "#fd7e14" }
  ], f.map(function (r) { return r.url; }));

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  document.body.setAttribute("data-dashboard-ready", String(charts.length));
}());

// the print button (no inline handler: the content security policy allows scripts from 'self' only)
document.querySelectorAll("[data-print]").forEach(function (b) {
  b.addEventListener("click", function () { window.print(); });
});
