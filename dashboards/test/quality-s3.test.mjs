// The data-quality page's S3 reader on step results held in memory (no services): a range run's
// result holds every day it covered, under its first day's key.
import assert from "node:assert/strict";
import { test } from "node:test";
import { stepResults } from "../lib/quality-s3.js";

const DS = "ds";

/** A Store over a map of key -> document; records which keys were read. */
function memoryStore(docs) {
  const read = [];
  return {
    read,
    bucket: "b",
    list: async (prefix) => Object.keys(docs).filter((k) => k.startsWith(prefix)).sort(),
    json: async (key) => {
      read.push(key);
      return structuredClone(docs[key]);
    },
    close: () => undefined,
  };
}

const facts = (dt, rows) => ({
  dataset: DS, dt, source_rows: rows + 1, source_event_amount_sum: rows * 10, produced_rows: rows + 1, topic_events: rows,
  bronze_rows: rows, bronze_amount_sum: rows * 10, silver_rows: rows - 2, silver_amount_sum: rows * 10 - 20,
  warehouse_rows: rows - 2, warehouse_amount_sum: rows * 10 - 20,
});

/** The reconcile gate's result: `days` maps each day it covered to its rows; keyed by the first. */
function gate(runId, startedAt, days, { dataset = DS, failed = [] } = {}) {
  const dts = Object.keys(days);
  const summary = dts.map((dt) => ({ dt, success: !failed.includes(dt) }));
  const byDay = Object.fromEntries(dts.map((dt) => [dt, facts(dt, days[dt])]));
  return [`runs/quality-gate/dt=${dts[0]}/${runId}__reconcile_order_lines.json`, {
    step: "quality-gate", dataset, dt: dts[0], variant: "reconcile_order_lines", startedAt, counts: {},
    status: failed.length ? "rejected" : "succeeded",
    details: { reconciliation: byDay[dts[0]], reconciliationByDay: byDay, summary: dts.length === 1 ? summary[0] : summary },
  }];
}

/** stream-produce's result: `days` maps each day to [events, dead letters]. */
function produce(runId, startedAt, days) {
  const dts = Object.keys(days);
  const perDay = Object.fromEntries(dts.map((dt) => [dt, { events: days[dt][0], deadLettered: days[dt][1] }]));
  const sum = (i) => dts.reduce((s, dt) => s + days[dt][i], 0);
  return [`runs/stream-produce/dt=${dts[0]}/${runId}.json`, {
    step: "stream-produce", dataset: DS, dt: dts[0], variant: null, startedAt, status: "succeeded",
    counts: { events: sum(0), dead_lettered: sum(1) }, details: { perDay },
  }];
}

const store = () => memoryStore(Object.fromEntries([
  // A single-day run that the history run below replaces.
  gate("early", "2022-05-01T00:00:00Z", { "2022-04-01": 5 }),
  // The history run: one gate over 2022-03-31..2022-04-03, one result keyed by its first day.
  gate("history", "2022-05-02T00:00:00Z", { "2022-03-31": 100, "2022-04-01": 110, "2022-04-02": 120, "2022-04-03": 130 }),
  // A later re-run of one day of it, which failed.
  gate("rerun", "2022-05-03T00:00:00Z", { "2022-04-02": 121 }, { failed: ["2022-04-02"] }),
  // Another dataset, and a day after every scope below.
  gate("other", "2022-05-04T00:00:00Z", { "2022-04-01": 999 }, { dataset: "other" }),
  gate("later", "2022-05-04T00:00:00Z", { "2022-04-05": 150 }),
  produce("history", "2022-05-02T00:00:00Z", { "2022-03-31": [100, 1], "2022-04-01": [110, 0], "2022-04-02": [120, 2], "2022-04-03": [130, 3] }),
  produce("rerun", "2022-05-03T00:00:00Z", { "2022-04-03": [131, 4] }),
]));

const rowsOf = (reconciliation, layer) =>
  Object.fromEntries(reconciliation.filter((r) => r.layer === layer).map((r) => [r.dt, r.rows]));

test("a range run's result gives each of its days; a later single-day re-run replaces that day only", async () => {
  const { reconciliation, produced } = await stepResults(store(), [DS], { from: null, to: null });
  assert.deepEqual(rowsOf(reconciliation, "topic"), {
    "2022-03-31": 100, "2022-04-01": 110, "2022-04-02": 121, "2022-04-03": 130, "2022-04-05": 150,
  });
  assert.deepEqual(rowsOf(reconciliation, "warehouse")["2022-04-01"], 108);
  assert.equal(reconciliation.length, 5 * 5); // five days, five layers each
  const status = Object.fromEntries(reconciliation.filter((r) => r.layer === "source").map((r) => [r.dt, r.status]));
  assert.deepEqual(status["2022-04-02"], "rejected");
  assert.deepEqual(status["2022-04-03"], "succeeded");
  assert.deepEqual(produced.map((p) => [p.dt, p.events, p.dead_lettered]), [
    ["2022-03-31", 100, 1], ["2022-04-01", 110, 0], ["2022-04-02", 120, 2], ["2022-04-03", 131, 4],
  ]);
});

test("the scope keeps the in-range days of a run that started before it and skips runs that start after it", async () => {
  const s = store();
  const { reconciliation, produced } = await stepResults(s, [DS], { from: "2022-04-01", to: "2022-04-03" });
  assert.deepEqual(rowsOf(reconciliation, "bronze"), { "2022-04-01": 110, "2022-04-02": 121, "2022-04-03": 130 });
  assert.deepEqual(produced.map((p) => [p.dt, p.dead_lettered]), [["2022-04-01", 0], ["2022-04-02", 2], ["2022-04-03", 4]]);
  assert.ok(!s.read.some((k) => k.includes("dt=2022-04-05")), "a result that starts after the scope is not read");
});

test("results written before ranges kept each day still read as their own day", async () => {
  const old = memoryStore({
    "runs/quality-gate/dt=2022-04-01/old__reconcile_order_lines.json": {
      step: "quality-gate", dataset: DS, dt: "2022-04-01", startedAt: "2022-05-01T00:00:00Z", status: "succeeded",
      counts: {}, details: { reconciliation: facts("2022-04-01", 40) },
    },
    "runs/stream-produce/dt=2022-04-01/old.json": {
      step: "stream-produce", dataset: DS, dt: "2022-04-01", startedAt: "2022-05-01T00:00:00Z", status: "succeeded",
      counts: { events: 40, dead_lettered: 2 }, details: {},
    },
    // A run that stopped before it counted anything names no day.
    "runs/stream-produce/dt=2022-04-02/crashed.json": {
      step: "stream-produce", dataset: DS, dt: "2022-04-02", startedAt: "2022-05-01T00:00:00Z", status: "failed",
      counts: {}, details: {},
    },
  });
  const { reconciliation, produced } = await stepResults(old, [DS], { from: null, to: null });
  assert.deepEqual(rowsOf(reconciliation, "topic"), { "2022-04-01": 40 });
  assert.deepEqual(produced.map((p) => [p.dt, p.events, p.dead_lettered]), [["2022-04-01", 40, 2]]);
});
