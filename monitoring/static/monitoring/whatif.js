/* OneX what-if caps: the scenarios side by side with the vendored Apache ECharts — institutions capped and
   headcount limited per scenario, and institutions capped by bureau. Tooltips go through onex.tooltip. */
(function () {
  "use strict";
  const root = document.getElementById("whatif-charts");
  if (!root || typeof echarts === "undefined" || !window.onex) return;
  const data = JSON.parse(document.getElementById("whatif-data").textContent);
  const labels = JSON.parse(document.getElementById("whatif-labels").textContent);
  const tooltip = (ps) => window.onex.tooltip([ps[0].name, ...ps.map((p) => `${p.seriesName}: ${p.value}`)], ["", ...ps.map((p) => p.marker)]);
  window.onexCharts = {};
  const draw = (el, option) => {
    const chart = echarts.init(el);
    window.onexCharts[el.dataset.whatifChart] = chart;
    chart.on("finished", () => { el.dataset.ready = "1"; });
    chart.setOption(option);
  };
  draw(root.querySelector('[data-whatif-chart="totals"]'), {
    tooltip: { trigger: "axis", className: "onex-chart-tooltip", formatter: tooltip },
    legend: { data: [labels.capped, labels.limited] },
    grid: { left: 50, right: 60, top: 40, bottom: 70 },
    xAxis: { type: "category", data: data.scenarios, axisLabel: { interval: 0, width: 120, overflow: "break" } },
    yAxis: [{ type: "value", name: labels.capped, minInterval: 1 }, { type: "value", name: labels.limited, minInterval: 1 }],
    series: [
      { name: labels.capped, type: "bar", data: data.capped, label: { show: true, position: "top" } },
      { name: labels.limited, type: "bar", yAxisIndex: 1, data: data.limited_by, label: { show: true, position: "top" } },
    ],
  });
  draw(root.querySelector('[data-whatif-chart="bureaus"]'), {
    tooltip: { trigger: "axis", className: "onex-chart-tooltip", formatter: tooltip },
    legend: { data: data.scenarios, type: "scroll" },
    grid: { left: 50, right: 20, top: 50, bottom: 60 },
    xAxis: { type: "category", data: data.bureaus.length ? data.bureaus : [labels.none], axisLabel: { interval: 0, rotate: data.bureaus.length > 6 ? 30 : 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: data.scenarios.map((name, i) => ({ name, type: "bar", data: data.by_bureau[i] })),
  });
  window.addEventListener("resize", () => Object.values(window.onexCharts).forEach((c) => c.resize()));
})();
