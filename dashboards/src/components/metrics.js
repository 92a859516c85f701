// Pure calculations of the pages (no DOM), unit-tested in test/metrics.test.mjs.

/** ISO day (YYYY-MM-DD) `n` days after `day` (n may be negative). */
export function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from, to) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The range a page opens on: the last 28 days of a long build, the last 7 of a 14+ day one, else all. */
export function defaultRange(build) {
  const days = daysBetween(build.dt_from, build.dt_to);
  const width = days >= 56 ? 28 : days >= 14 ? 7 : days;
  return { from: addDays(build.dt_to, 1 - width), to: build.dt_to };
}

function totals(rows) {
  const sum = (k) => rows.reduce((s, r) => s + Number(r[k] ?? 0), 0);
  const revenue = Math.round(sum("realised_revenue") * 100) / 100;
  const orders = sum("orders");
  const lines = sum("lines");
  return {
    revenue,
    orders,
    units: sum("units"),
    aov: orders ? revenue / orders : null,
    cancelRate: lines ? sum("cancelled_lines") / lines : null,
    days: rows.length,
  };
}

/**
 * Headline numbers of [from, to] and of the previous period (the same number of days just before).
 * The previous period is compared only when every one of its days has a row (never partial vs whole).
 */
export function headline(daily, from, to) {
  const width = daysBetween(from, to);
  const prevFrom = addDays(from, -width);
  const prevTo = addDays(from, -1);
  const current = totals(daily.filter((r) => r.dt >= from && r.dt <= to));
  const prevRows = daily.filter((r) => r.dt >= prevFrom && r.dt <= prevTo);
  const previous = prevRows.length === width ? totals(prevRows) : null;
  const change = (k) =>
    previous && previous[k] != null && current[k] != null && previous[k] !== 0
      ? (current[k] - previous[k]) / Math.abs(previous[k])
      : null;
  return {
    current,
    previous,
    previousRange: { from: prevFrom, to: prevTo },
    change: { revenue: change("revenue"), orders: change("orders"), units: change("units"), aov: change("aov"), cancelRate: change("cancelRate") },
  };
}

/** Rows of `rows` whose `dt` lies in [from, to]. */
export const inRange = (rows, from, to) => rows.filter((r) => r.dt >= from && r.dt <= to);
