// Page helpers: the dataset / date-range inputs, number formats, KPI cards and the chart frame
// that every chart goes through (it marks the chart for the browser tests and shows a clear
// message instead of an empty plot when a selection has no rows).
import * as Inputs from "@observablehq/inputs";
import { defaultRange } from "./metrics.js";

const inr = new Intl.NumberFormat("en-IN", { style: "currency", currency: "INR", maximumFractionDigits: 0 });
const int = new Intl.NumberFormat("en-IN", { maximumFractionDigits: 0 });
export const fmt = {
  inr: (v) => (v == null ? "–" : inr.format(v)),
  inrCompact: (v) => (v == null ? "–" : `₹${Intl.NumberFormat("en-IN", { notation: "compact", maximumFractionDigits: 1 }).format(v)}`),
  int: (v) => (v == null ? "–" : int.format(v)),
  pct: (v, digits = 1) => (v == null ? "–" : `${(v * 100).toFixed(digits)} %`),
  change: (v) => (v == null ? "no previous period" : `${v >= 0 ? "▲" : "▼"} ${Math.abs(v * 100).toFixed(1)} % vs previous`),
};

/** A dataset picker over the builds (most recently built first). */
export function datasetInput(builds) {
  const names = [...builds].sort((a, b) => String(b.built_at).localeCompare(String(a.built_at))).map((b) => b.dataset);
  return Inputs.select(names, { label: "Dataset", value: names[0] });
}

const iso = (d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d);

/** From / to day inputs bounded by the build; value {from, to} as ISO days. */
export function rangeInput(build) {
  const { from, to } = defaultRange(build);
  const form = Inputs.form(
    {
      from: Inputs.date({ label: "From", value: from, min: build.dt_from, max: build.dt_to }),
      to: Inputs.date({ label: "To", value: to, min: build.dt_from, max: build.dt_to }),
    },
    { template: wrap },
  );
  const read = () => {
    const v = form.value;
    const a = iso(v.from) ?? build.dt_from;
    const b = iso(v.to) ?? build.dt_to;
    return a <= b ? { from: a, to: b } : { from: b, to: a };
  };
  const out = document.createElement("div");
  out.append(form);
  out.value = read();
  form.addEventListener("input", () => {
    out.value = read();
    out.dispatchEvent(new Event("input", { bubbles: true }));
  });
  return out;
}

function wrap(inputs) {
  const div = document.createElement("div");
  div.className = "range";
  div.append(...Object.values(inputs));
  return div;
}

/** A KPI card; `data-kpi` / `data-value` carry the raw number for the tests. */
export function kpi(name, label, value, shown, change, invert = false) {
  const card = document.createElement("div");
  card.className = "card kpi";
  card.dataset.kpi = name;
  card.dataset.value = value == null ? "" : String(value);
  const good = change == null ? "" : (change >= 0) !== invert ? "up" : "down";
  card.innerHTML = `<h2></h2><span class="big"></span><div class="change ${good}"></div>`;
  card.querySelector("h2").textContent = label;
  card.querySelector(".big").textContent = shown;
  card.querySelector(".change").textContent = fmt.change(change);
  return card;
}

/**
 * The frame of one chart: `render(width)` draws it when `rows` has rows; otherwise a visible
 * "no rows" note. `data-chart` names it and `data-rows` counts its rows for the tests.
 */
export function chart(name, rows, render, { note = "No rows for this selection." } = {}) {
  const frame = document.createElement("div");
  frame.className = "chart";
  frame.dataset.chart = name;
  frame.dataset.rows = String(rows?.length ?? 0);
  if (!rows?.length) {
    frame.classList.add("empty");
    frame.textContent = note;
    return frame;
  }
  frame.append(render());
  return frame;
}

/** A UTC day axis with readable ticks for `days` days: daily up to two weeks, then weekly, then monthly. */
export function dayAxis(days, label = null) {
  return { type: "utc", label, ticks: days <= 14 ? "day" : days <= 120 ? "week" : "month", tickFormat: "%b %-d" };
}
