// OneX page behaviour, attached by data attributes: the Content-Security-Policy allows no inline handlers.
(function () {
  "use strict";

  // Text from the data (names of bureaus, institutions, certificates, majors) put into HTML — a chart's
  // tooltip, a message in a chart's box — goes through these helpers, so a name holding markup shows as text.
  const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  const escapeHtml = function (value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) {
      return ESCAPES[c];
    });
  };
  window.onex = {
    escapeHtml: escapeHtml,
    // A chart tooltip (ECharts renders its formatter's result as HTML): each line escaped, one per row;
    // `markers[i]`, when given, is ECharts' own coloured dot for line i (its HTML, not data).
    tooltip: function (lines, markers) {
      return lines.map(function (line, i) { return ((markers && markers[i]) || "") + escapeHtml(line); }).join("<br>");
    },
    // Replace `el`'s content with one paragraph of plain text.
    message: function (el, text, css) {
      const p = document.createElement("p");
      p.className = css;
      p.textContent = text;
      el.replaceChildren(p);
    },
  };

  // <select data-autosubmit>: submit its form on change (the language switch).
  document.addEventListener("change", function (event) {
    const select = event.target.closest("select[data-autosubmit]");
    if (select) select.form.submit();
  });

  // <form data-confirm="…"> and <button data-confirm="…">: ask before going on.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });

  // <input type="checkbox" data-select-all="plans">: tick or untick every input named "plans".
  document.addEventListener("click", function (event) {
    const all = event.target.closest("input[data-select-all]");
    if (!all) return;
    document.querySelectorAll('input[name="' + all.dataset.selectAll + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });

  // Plan page: picking a certificate from the search results (#cert-options) loads its levels.
  document.addEventListener("click", function (event) {
    const option = event.target.closest("#cert-options [data-certificate-id]");
    if (!option) return;
    const options = option.closest("#cert-options");
    document.getElementById("id_certificate").value = option.dataset.certificateId;
    document.getElementById("picked").textContent = option.dataset.certificateName;
    options.innerHTML = "";
    const levels = document.getElementById("id_level");
    const url = options.dataset.levelsUrl.replace("/0/", "/" + option.dataset.certificateId + "/");
    htmx.ajax("GET", url, { target: levels, swap: "innerHTML" }).then(function () {
      levels.dispatchEvent(new Event("change", { bubbles: true }));
    });
  });

  // <form data-reset-after-add>: once its own request answered 200, empty it for the next line.
  document.addEventListener("htmx:afterRequest", function (event) {
    const form = event.detail.elt;
    if (!form.matches || !form.matches("form[data-reset-after-add]")) return;
    if (!event.detail.successful || event.detail.xhr.status !== 200) return;
    form.reset();
    document.getElementById("id_certificate").value = "";
    document.getElementById("picked").textContent = "";
    document.getElementById("preview").innerHTML = "";
  });

  // A line's decision form (data-r2-others, data-r2-min, data-planned): say at once, before saving, when the
  // decision leaves its certificate-level below the minimum headcount (R2) — a rejection or a reduction.
  const checkR2 = function (form) {
    const planned = Number(form.dataset.planned);
    const typed = parseInt(form.elements.headcount.value, 10);
    const outcome = form.elements.outcome.value;
    const own = outcome === "reject" ? 0 : outcome === "reduce" && !isNaN(typed) ? typed : planned;
    const total = Number(form.dataset.r2Others) + own;
    const warning = form.querySelector("[data-r2-warning]");
    warning.querySelector("[data-r2-total]").textContent = total;
    warning.hidden = !(total > 0 && total < Number(form.dataset.r2Min));
  };
  ["change", "input"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      const form = event.target.closest && event.target.closest("form[data-r2-min]");
      if (form) checkR2(form);
    });
  });

  // A list entered as table rows (plans/form_rows.py): add a row from the list's <template>, remove a row.
  document.addEventListener("click", function (event) {
    const add = event.target.closest("[data-rows-add]");
    if (add) {
      const list = add.closest("[data-rows]");
      const index = String(Number(list.dataset.next));
      list.dataset.next = String(Number(index) + 1);
      const row = list.querySelector("template").content.firstElementChild.cloneNode(true);
      row.querySelectorAll("input").forEach(function (input) {
        input.name = input.name.replace("__row__", index);
      });
      list.querySelector("tbody").appendChild(row);
      row.querySelector("input").focus();
      return;
    }
    const remove = event.target.closest("[data-rows-remove]");
    if (remove) remove.closest("tr").remove();
  });
})();
