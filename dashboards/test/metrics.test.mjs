// The overview's arithmetic on hand-computed inputs (no services).
import assert from "node:assert/strict";
import { test } from "node:test";
import { addDays, daysBetween, defaultRange, headline } from "../src/components/metrics.js";

const row = (dt, revenue, orders, units, lines, cancelled) => ({ dt, realised_revenue: revenue, orders, units, lines, cancelled_lines: cancelled });
const daily = [
  row("2022-04-01", 100, 2, 3, 4, 1),
  row("2022-04-02", 200, 3, 3, 5, 0),
  row("2022-04-03", 300, 4, 6, 8, 2),
  row("2022-04-04", 450, 5, 7, 10, 1),
];

test("days arithmetic crosses months and counts both ends", () => {
  assert.equal(addDays("2022-04-30", 1), "2022-05-01");
  assert.equal(addDays("2022-03-01", -1), "2022-02-28");
  assert.equal(daysBetween("2022-04-01", "2022-04-01"), 1);
  assert.equal(daysBetween("2022-03-31", "2022-04-29"), 30);
});

test("headline sums the range and compares with the whole previous period of the same length", () => {
  const h = headline(daily, "2022-04-03", "2022-04-04");
  assert.deepEqual(h.current, { revenue: 750, orders: 9, units: 13, aov: 750 / 9, cancelRate: 3 / 18, days: 2 });
  assert.deepEqual(h.previousRange, { from: "2022-04-01", to: "2022-04-02" });
  assert.equal(h.previous.revenue, 300);
  assert.equal(h.change.revenue, 1.5);
  assert.equal(h.change.orders, 0.8);
  assert.ok(Math.abs(h.change.cancelRate - (3 / 18 - 1 / 9) / (1 / 9)) < 1e-12);
});

test("a previous period with a missing day is not compared (no partial against whole)", () => {
  const h = headline(daily, "2022-04-02", "2022-04-04");
  assert.equal(h.previous, null);
  assert.equal(h.change.revenue, null);
});

test("the default range: all of a short build, the last 7 days of a 14+ day one, the last 28 of a long one", () => {
  assert.deepEqual(defaultRange({ dt_from: "2022-04-27", dt_to: "2022-04-30" }), { from: "2022-04-27", to: "2022-04-30" });
  assert.deepEqual(defaultRange({ dt_from: "2022-04-01", dt_to: "2022-04-28" }), { from: "2022-04-22", to: "2022-04-28" });
  assert.deepEqual(defaultRange({ dt_from: "2022-03-31", dt_to: "2022-06-29" }), { from: "2022-06-02", to: "2022-06-29" });
});
