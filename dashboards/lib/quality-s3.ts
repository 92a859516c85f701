// The data-quality facts that live in S3: the reconcile gate's per-layer counts and sums (its step
// results under runs/quality-gate/), dead letters per day (stream-produce's results under
// runs/stream-produce/) and quarantined rows per cleaning rule (the silver partitions' manifests).
import { mapLimit, type Store } from "./s3.js";

interface StepResult {
  step: string;
  dataset: string | null;
  dt: string | null;
  variant: string | null;
  status: string;
  startedAt: string;
  counts: Record<string, number>;
  details: Record<string, unknown>;
}

/** The layers of the reconciliation, in pipeline order: [label, rows field, amount field]. */
export const LAYERS: [string, string, string | null][] = [
  ["source", "source_rows", "source_event_amount_sum"],
  ["topic", "topic_events", null],
  ["bronze", "bronze_rows", "bronze_amount_sum"],
  ["silver", "silver_rows", "silver_amount_sum"],
  ["warehouse", "warehouse_rows", "warehouse_amount_sum"],
];

/** The scope's inclusive day range; null ends are open. */
export interface DayRange {
  from: string | null;
  to: string | null;
}

/** One day of a step result: a single-date run is one, a range run (`--dt A --to B`) one per day. */
interface Day<T> {
  dataset: string;
  dt: string;
  startedAt: string;
  status: string;
  facts: T;
}

/**
 * Keeps the latest day per (dataset, dt), whichever run it came from: a single-date re-run of one
 * day of an earlier range replaces that day only.
 */
function latest<T>(days: Day<T>[]): Day<T>[] {
  const best = new Map<string, Day<T>>();
  for (const d of days) {
    const k = `${d.dataset}|${d.dt}`;
    const seen = best.get(k);
    if (!seen || seen.startedAt < d.startedAt) best.set(k, d);
  }
  return [...best.values()].sort((a, b) => `${a.dataset}${a.dt}`.localeCompare(`${b.dataset}${b.dt}`));
}

/**
 * The results of the scope's datasets that may hold a day of the range. A result's key carries its
 * FIRST day, so one that starts before `from` is read (its later days may be in range); one that
 * starts after `to` cannot hold a day of it.
 */
async function read(store: Store, keys: string[], datasets: string[], range: DayRange) {
  const picked = keys.filter((k) => {
    const dt = /\/dt=(\d{4}-\d{2}-\d{2})\//.exec(k)?.[1];
    return dt !== undefined && (!range.to || dt <= range.to);
  });
  const all = await mapLimit(picked, 8, (k) => store.json<StepResult>(k));
  return all.filter((r) => r.dataset !== null && datasets.includes(r.dataset) && r.dt !== null);
}

/** Whether a day (YYYY-MM-DD) is inside the range (open ends included). */
export const inRange = (range: DayRange) => (dt: string) =>
  (!range.from || dt >= range.from) && (!range.to || dt <= range.to);

type Facts = Record<string, number | null>;

/**
 * The reconcile gate's days: `details.reconciliationByDay` (every date of the run), else
 * `details.reconciliation` under the result's date (results written before ranges kept each day).
 * A day's status is its own verdict from `details.summary` when there, else the run's.
 */
function gateDays(r: StepResult): Day<Facts>[] {
  const byDay = (r.details.reconciliationByDay ?? { [r.dt!]: r.details.reconciliation }) as Record<string, Facts>;
  const summaries = [r.details.summary].flat() as ({ dt?: string; success?: boolean } | undefined)[];
  return Object.entries(byDay)
    .filter(([, facts]) => facts)
    .map(([dt, facts]) => {
      const verdict = summaries.find((s) => s?.dt === dt)?.success;
      const status = verdict === undefined ? r.status : verdict ? "succeeded" : "rejected";
      return { dataset: r.dataset!, dt, startedAt: r.startedAt, status, facts };
    });
}

/**
 * stream-produce's days: `details.perDay` (every day of the run), else the counts under the result's
 * date (results written before perDay). A run that stopped before counting anything has no day.
 */
function producedDays(r: StepResult): Day<{ events: number; deadLettered: number }>[] {
  const { events, dead_lettered: deadLettered = 0 } = r.counts;
  const totals = events === undefined ? {} : { [r.dt!]: { events, deadLettered } };
  const perDay = (r.details.perDay ?? totals) as Record<string, { events: number; deadLettered: number }>;
  return Object.entries(perDay).map(([dt, facts]) => ({
    dataset: r.dataset!,
    dt,
    startedAt: r.startedAt,
    status: r.status,
    facts,
  }));
}

/**
 * Reconciliation rows (one per day and layer) and dead letters per day of the scope, from the step
 * results under runs/: each result split into its days, days outside the range dropped, the
 * latest run of each (dataset, day) kept.
 */
export async function stepResults(store: Store, datasets: string[], range: DayRange) {
  const within = inRange(range);
  const gateKeys = (await store.list("runs/quality-gate/")).filter((k) => k.includes("__reconcile_"));
  const gateRuns = await read(store, gateKeys, datasets, range);
  const gates = latest(gateRuns.flatMap(gateDays).filter((d) => within(d.dt)));
  const reconciliation = gates.flatMap((d) =>
    LAYERS.map(([layer, rowsField, amountField], order) => ({
      dataset: d.dataset,
      dt: d.dt,
      layer,
      order,
      rows: d.facts[rowsField] ?? null,
      amount: amountField ? (d.facts[amountField] ?? null) : null,
      status: d.status,
    })),
  );
  const produceKeys = (await store.list("runs/stream-produce/dt=")).filter((k) => k.endsWith(".json"));
  const days = (await read(store, produceKeys, datasets, range)).flatMap(producedDays).filter((d) => within(d.dt));
  const produced = latest(days).map((d) => ({
    dataset: d.dataset,
    dt: d.dt,
    events: d.facts.events ?? 0,
    dead_lettered: d.facts.deadLettered ?? 0,
    status: d.status,
  }));
  return { reconciliation, produced };
}

interface Manifest {
  dataset: string;
  dt: string;
  bronze_rows: number;
  silver_rows: number;
  quarantined_rows: number;
  duplicate_rows: number;
  quarantine_rules: Record<string, number>;
}

/** One row per (dt, rule) of a dataset's silver manifests, plus a `(none)` row for a clean day. */
export async function manifests(store: Store, dataset: string, inRange: (dt: string) => boolean) {
  const keys = (await store.list(`lake/silver/order_lines/dataset=${dataset}/`)).filter((k) => {
    const dt = /\/dt=(\d{4}-\d{2}-\d{2})\/_manifest\.json$/.exec(k)?.[1];
    return dt !== undefined && inRange(dt);
  });
  const docs = await mapLimit(keys, 8, (k) => store.json<Manifest>(k));
  return docs.flatMap((m) => {
    const rules = Object.entries(m.quarantine_rules ?? {}).filter(([, n]) => n > 0);
    const base = { dataset, dt: m.dt, bronze_rows: m.bronze_rows, silver_rows: m.silver_rows };
    return rules.length ? rules.map(([rule, rows]) => ({ ...base, rule, rows })) : [{ ...base, rule: "(none)", rows: 0 }];
  });
}
