/* OneX monitoring dashboard: draws each figure with the vendored Apache ECharts.
   Every bar, point and funnel stage links to the institutions behind it (row.drill).
   Tooltips are HTML: every one is built by onex.tooltip (static/js/onex.js), which escapes the names in it. */
(function () {
  "use strict";
  const root = document.getElementById("monitoring-dashboard");
  if (!root || typeof echarts === "undefined" || !window.onex) return;
  const tooltip = window.onex.tooltip;
  const labels = JSON.parse(document.getElementById("chart-labels").textContent);
  const target = parseFloat(root.dataset.target || "0");
  window.onexCharts = {};

  const pct = (v) => (v === null || v === undefined ? null : v);
  const drillTo = (chart, rows) => chart.on("click", (params) => {
    const row = rows[params.dataIndex];
    if (row && row.drill) window.location.href = row.drill;
  });

  function bars(chart, rows, horizontal) {
    const names = rows.map((r) => r.label);
    const values = rows.map((r) => pct(r.completion));
    const category = { type: "category", data: names, axisLabel: { interval: 0, width: 140, overflow: "truncate" } };
    const value = { type: "value", name: "%", max: (v) => Math.max(100, Math.ceil(v.max / 10) * 10) };
    chart.setOption({
      tooltip: { trigger: "item", className: "onex-chart-tooltip", formatter: (p) => tooltip([p.name, `${labels.completion}: ${p.value === null ? "–" : p.value + "%"}`]) },
      grid: { left: horizontal ? 160 : 50, right: 20, top: 30, bottom: horizontal ? 30 : 70 },
      xAxis: horizontal ? value : Object.assign(category, { axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } }),
      yAxis: horizontal ? Object.assign(category, { inverse: true }) : value,
      series: [{
        type: "bar", data: values, cursor: "pointer",
        itemStyle: { color: (p) => (p.value !== null && p.value < target / 2 ? "#dc3545" : p.value !== null && p.value < target ? "#ffc107" : "#0d6efd") },
        label: { show: true, position: horizontal ? "right" : "top", formatter: (p) => (p.value === null ? "–" : p.value + "%") },
        markLine: target > 0 ? { symbol: "none", data: [horizontal ? { xAxis: target } : { yAxis: target }], label: { formatter: `${labels.target} ${target}` } } : undefined,
      }],
    });
    drillTo(chart, rows);
  }

  function certificates(el, rows) {
    el.innerHTML = "";
    el.style.display = "flex";
    const top = rows.slice(0, 10);
    const bottom = rows.length > 10 ? rows.slice(-10).reverse() : [];
    [[top, labels.top], [bottom, labels.bottom]].forEach(([part, title]) => {
      if (!part.length) return;
      const box = document.createElement("div");
      box.style.flex = "1";
      box.style.minWidth = "0";
      box.dataset.part = title;
      el.appendChild(box);
      const chart = echarts.init(box);
      bars(chart, part, true);
      chart.setOption({ title: { text: title, textStyle: { fontSize: 13 } } });
      window.onexCharts["certificates:" + (part === top ? "top" : "bottom")] = chart;
    });
  }

  function trend(chart, rows) {
    chart.setOption({
      tooltip: {
        trigger: "axis",
        className: "onex-chart-tooltip",
        formatter: (ps) => tooltip(
          [ps[0].name, ...ps.map((p) => `${p.seriesName}: ${p.value === null || p.value === undefined ? "–" : p.value}`)],
          ["", ...ps.map((p) => p.marker)],
        ),
      },
      legend: { data: [labels.completion, labels.target] },
      grid: { left: 50, right: 20, top: 40, bottom: 40 },
      xAxis: { type: "category", data: rows.map((r) => r.label) },
      yAxis: { type: "value", name: "%", max: 100 },
      series: [
        { name: labels.completion, type: "line", data: rows.map((r) => pct(r.completion)), symbolSize: 10, cursor: "pointer" },
        { name: labels.target, type: "line", data: rows.map((r) => r.target), lineStyle: { type: "dashed" }, silent: true },
      ],
    });
    chart.on("click", (params) => {
      const row = rows[params.dataIndex];
      if (params.seriesIndex === 0 && row && row.drill) window.location.href = row.drill;
    });
  }

  function funnel(chart, rows) {
    const row = rows[0] || { approved: 0, registered: 0, examined: 0, passed: 0, drill: "" };
    const stages = ["approved", "registered", "examined", "passed"].map((key) => ({ name: labels[key], value: row[key] || 0 }));
    chart.setOption({
      tooltip: { trigger: "item", className: "onex-chart-tooltip", formatter: (p) => tooltip([`${p.name}: ${p.value}`]) },
      series: [{ type: "funnel", sort: "none", left: "10%", width: "80%", data: stages, label: { formatter: "{b}: {c}" }, cursor: "pointer" }],
    });
    chart.on("click", () => { if (row.drill) window.location.href = row.drill; });
  }

  function draw(el, figure) {
    const name = el.dataset.chart;
    const heading = root.querySelector(`[data-chart-title="${name}"]`);
    if (heading) heading.textContent = figure.title;
    if (!figure.rows.length) {
      window.onex.message(el, labels.empty, "text-muted");
    } else if (name === "certificates") {
      certificates(el, figure.rows);
    } else {
      const chart = echarts.init(el);
      window.onexCharts[name] = chart;
      // Ready once drawn and done animating: a click then lands where the bar is.
      chart.on("finished", () => { el.dataset.ready = "1"; });
      if (figure.chart === "line") trend(chart, figure.rows);
      else if (figure.chart === "funnel") funnel(chart, figure.rows);
      else bars(chart, figure.rows, false);
      return;
    }
    el.dataset.ready = "1";
  }

  // Every chart's figures in one answer (monitoring:dashboard_data), keyed by the chart's name.
  const charts = root.querySelectorAll("[data-chart]");
  fetch(root.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => { if (!response.ok) throw new Error(response.status); return response.json(); })
    .then((figures) => charts.forEach((el) => {
      try {
        draw(el, figures[el.dataset.chart]);
      } catch (error) {
        window.onex.message(el, "!", "text-danger");
        el.dataset.ready = "error";
      }
    }))
    .catch(() => charts.forEach((el) => { window.onex.message(el, "!", "text-danger"); el.dataset.ready = "error"; }));
  window.addEventListener("resize", () => Object.values(window.onexCharts).forEach((c) => c.resize()));
})();
