import { rm } from 'node:fs/promises';
import type { StepContext } from '../../runtime';
import { addReasons } from '../../events/produced';
import type { Flushed, RecordSink } from './sink';
import type { DayCounts } from './replay';
import type { Routed } from './route';
import { readSpill } from './spill';

/** How often (records) the publishing loop paces, logs and checks for a stop request. */
const STEP = 64;

/** Sleeps so that `done` of `total` records go out at the matching share of `secondsPerDay`. */
export function pacer(secondsPerDay: number, total: number, signal: AbortSignal) {
  const started = Date.now();
  return async (done: number) => {
    if (secondsPerDay <= 0 || total <= 0) return;
    const due = started + (Math.min(done, total) / total) * secondsPerDay * 1000;
    const wait = due - Date.now();
    if (wait > 0 && !signal.aborted) await new Promise((r) => setTimeout(r, wait));
  };
}

export interface DayPlan {
  day: string;
  /** Raw objects that owe this day, in order, with their routed spill files. */
  sources: { uri: string; routed: Routed }[];
  speed: number;
  /** Called once a source's records of the day are acknowledged: writes its produced marker. */
  markProduced: (uri: string, counts: DayCounts) => Promise<void>;
}

/**
 * Publishes one day: each source's spill file in order through the sink, flushed (every
 * message acknowledged) before the source's marker is written. A paced day (`speed` > 0) flushes
 * at every step so events go out when due rather than in full batches.
 */
export async function publishDay(ctx: StepContext, sink: RecordSink, plan: DayPlan) {
  const started = Date.now();
  const expected = plan.sources.reduce((n, s) => n + (s.routed.spills.get(plan.day)?.records ?? 0), 0);
  const pace = pacer(plan.speed, expected, ctx.signal);
  const total: Flushed = { events: 0, deadLettered: 0, eventBytes: 0, reasons: {} };
  // A day without a record is not produced: no marker, so later steps can tell it was empty.
  if (expected === 0) return total;
  let done = 0;
  let lastLog = started;
  for (const { uri, routed } of plan.sources) {
    const spill = routed.spills.get(plan.day);
    const before = { ...total, reasons: { ...total.reasons } };
    if (spill) {
      for await (const records of readSpill(spill.file)) {
        for (const { row, text } of records) {
          const full = sink.add(uri, row, text);
          if (full) await full;
          if (++done % STEP) continue;
          ctx.throwIfStopped();
          if (plan.speed > 0) {
            await pace(done);
            Object.assign(total, add(total, await sink.flush()));
          }
          if (Date.now() - lastLog >= 2_000) {
            lastLog = Date.now();
            const perSec = Math.round(done / ((lastLog - started) / 1000));
            ctx.logger.info({ day: plan.day, records: done, of: expected, perSec }, 'publishing');
          }
        }
      }
    }
    // The marker is written only once the broker acknowledged every message of the day.
    Object.assign(total, add(total, await sink.flush()));
    await plan.markProduced(uri, {
      events: total.events - before.events,
      deadLettered: total.deadLettered - before.deadLettered,
      reasons: Object.fromEntries(
        Object.entries(total.reasons)
          .map(([k, n]) => [k, n - (before.reasons[k] ?? 0)] as const)
          .filter(([, n]) => n > 0),
      ),
    });
    if (spill) await rm(spill.file, { force: true });
  }
  ctx.logger.info(
    { day: plan.day, events: total.events, deadLettered: total.deadLettered, ms: Date.now() - started },
    'day replayed',
  );
  return total;
}

const add = (a: Flushed, b: Flushed): Flushed => ({
  events: a.events + b.events,
  deadLettered: a.deadLettered + b.deadLettered,
  eventBytes: a.eventBytes + b.eventBytes,
  reasons: addReasons({ ...a.reasons }, b.reasons),
});
