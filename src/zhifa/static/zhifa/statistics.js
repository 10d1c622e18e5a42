/* The statistics dashboard's charts (执法统计看板): ECharts drawn from the JSON block
   #statistics-data (no inline script, CSP). A bar of the grouping chart opens the case list
   behind it (drill-down); charts follow the card's width (phones included). */
(function () {
  "use strict";
  var PALETTE = ["#1d5fbf", "#1e7b4f", "#a15c07", "#b42318", "#8795a6"];

  function groupsOption(d, narrow) {
    return {
      color: PALETTE, tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: d.labels,
               axisLabel: { width: narrow ? 90 : 180, overflow: "truncate" } },
      series: d.series.map(function (s) { return { name: s.name, type: "bar", data: s.data, cursor: "pointer" }; })
    };
  }

  function trendOption(d) {
    return {
      color: PALETTE, tooltip: { trigger: "axis" }, legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: d.labels }, yAxis: { type: "value", minInterval: 1 },
      series: d.series.map(function (s) { return { name: s.name, type: "line", smooth: true, data: s.data }; })
    };
  }

  function draw() {
    var source = document.getElementById("statistics-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-echart]").forEach(function (el) {
      var name = el.getAttribute("data-echart"), d = data[name];
      if (!d) { return; }
      var narrow = el.clientWidth < 480;
      el.style.height = name === "groups" ? Math.max(260, 28 * d.labels.length + 60) + "px" : "300px";
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(name === "groups" ? groupsOption(d, narrow) : trendOption(d));
      if (name === "groups") {
        chart.on("click", function (p) { var url = d.links[p.dataIndex]; if (url) { window.location.href = url; } });
      }
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
}());
