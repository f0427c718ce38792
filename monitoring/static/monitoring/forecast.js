/* OneX year-end forecast: each bureau's expected completion with its range against the R3 threshold, drawn with
   the vendored Apache ECharts. Tooltips go through onex.tooltip (static/js/onex.js), which escapes the names. */
(function () {
  "use strict";
  const el = document.getElementById("forecast-chart");
  if (!el || typeof echarts === "undefined" || !window.onex) return;
  const data = JSON.parse(document.getElementById("forecast-data").textContent);
  const labels = JSON.parse(document.getElementById("forecast-labels").textContent);
  const rows = data.rows;
  if (!rows.length) { window.onex.message(el, labels.empty, "text-muted"); el.dataset.ready = "1"; return; }
  const chart = echarts.init(el);
  window.onexCharts = { forecast: chart };
  const shown = (v) => (v === null || v === undefined ? "–" : v + "%");
  chart.on("finished", () => { el.dataset.ready = "1"; });
  chart.setOption({
    tooltip: {
      trigger: "axis", className: "onex-chart-tooltip",
      formatter: (ps) => {
        const row = rows[ps[0].dataIndex];
        return window.onex.tooltip([row.label, `${labels.rate}: ${shown(row.rate)} (${shown(row.low)}–${shown(row.high)})`, `${labels.at_risk}: ${row.at_risk}`]);
      },
    },
    legend: { data: [labels.rate, labels.low, labels.high] },
    grid: { left: 50, right: 70, top: 40, bottom: 60 },
    xAxis: { type: "category", data: rows.map((r) => r.label), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
    yAxis: { type: "value", name: "%", max: 100 },
    series: [
      {
        name: labels.rate, type: "bar", data: rows.map((r) => r.rate),
        itemStyle: { color: (p) => (p.value !== null && p.value < data.threshold ? "#dc3545" : "#0d6efd") },
        label: { show: true, position: "top", formatter: (p) => shown(p.value) },
        markLine: { symbol: "none", data: [{ yAxis: data.threshold }], label: { formatter: `${labels.threshold} ${data.threshold}%` } },
      },
      { name: labels.low, type: "line", data: rows.map((r) => r.low), symbol: "triangle", symbolSize: 9, lineStyle: { opacity: 0 } },
      { name: labels.high, type: "line", data: rows.map((r) => r.high), symbol: "triangle", symbolRotate: 180, symbolSize: 9, lineStyle: { opacity: 0 } },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
