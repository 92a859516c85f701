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

/** Keeps the latest result per (dataset, dt). */
function latest(results: StepResult[]): StepResult[] {
  const best = new Map<string, StepResult>();
  for (const r of results) {
    const k = `${r.dataset}|${r.dt}`;
    const seen = best.get(k);
    if (!seen || seen.startedAt < r.startedAt) best.set(k, r);
  }
  return [...best.values()].sort((a, b) => `${a.dataset}${a.dt}`.localeCompare(`${b.dataset}${b.dt}`));
}

async function read(store: Store, keys: string[], datasets: string[], inRange: (dt: string) => boolean) {
  const picked = keys.filter((k) => {
    const dt = /\/dt=(\d{4}-\d{2}-\d{2})\//.exec(k)?.[1];
    return dt !== undefined && inRange(dt);
  });
  const all = await mapLimit(picked, 8, (k) => store.json<StepResult>(k));
  return all.filter((r) => r.dataset !== null && datasets.includes(r.dataset) && r.dt !== null);
}

export async function stepResults(store: Store, datasets: string[], inRange: (dt: string) => boolean) {
  const gateKeys = (await store.list("runs/quality-gate/")).filter((k) => k.includes("__reconcile_"));
  const gates = latest((await read(store, gateKeys, datasets, inRange)).filter((r) => r.details.reconciliation));
  const reconciliation = gates.flatMap((r) => {
    const facts = r.details.reconciliation as Record<string, number | null>;
    return LAYERS.map(([layer, rowsField, amountField], order) => ({
      dataset: r.dataset,
      dt: r.dt,
      layer,
      order,
      rows: facts[rowsField] ?? null,
      amount: amountField ? (facts[amountField] ?? null) : null,
      status: r.status,
    }));
  });
  const produceKeys = (await store.list("runs/stream-produce/dt=")).filter((k) => k.endsWith(".json"));
  const produced = latest(await read(store, produceKeys, datasets, inRange)).map((r) => ({
    dataset: r.dataset,
    dt: r.dt,
    events: r.counts.events ?? 0,
    dead_lettered: r.counts.dead_lettered ?? 0,
    status: r.status,
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
