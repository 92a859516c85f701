import { rm } from 'node:fs/promises';
import type { StepContext } from '../../runtime';
import { addReasons } from '../../events/produced';
import type { Progress } from './publisher';
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

/** Where a (source, day) stands in the progress its committed transactions recorded. */
export interface Resume {
  /** Records of the day's spill already published in a committed transaction. */
  records: number;
  counts: DayCounts;
}

export interface DayPlan {
  day: string;
  /** Raw objects that owe this day, in order, with their routed spill files. */
  sources: { uri: string; routed: Routed }[];
  speed: number;
  /** Seconds between transaction commits of an unpaced day (a crash re-publishes at most that much, never twice). */
  commitSeconds: number;
  /** Each source's committed progress for the day (absent: nothing committed). */
  resume: Map<string, Resume>;
  /** The progress record of a source's day, committed inside each transaction. */
  progress: (uri: string, records: number, counts: DayCounts) => Progress;
  /** Called once a source's records of the day are committed: writes its produced marker. */
  markProduced: (uri: string, counts: DayCounts) => Promise<void>;
}

/**
 * Publishes one day: each source's spill file in order through the sink, in Kafka transactions.
 * Every transaction also commits how many of the day's records it covers (`plan.progress`), so a
 * run that dies at any point is resumed by the next one at the first record not committed:
 * nothing is published twice or lost. The marker is written after the last commit. A paced day
 * (`speed` > 0) commits at every step so events become visible when due.
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
    const resume = plan.resume.get(uri);
    const skip = resume?.records ?? 0;
    // The source's counts for the whole day: what committed transactions covered, then this run's.
    let counts: Flushed = { eventBytes: 0, ...copy(resume?.counts) };
    let read = 0;
    let committedAt = Date.now();
    const commit = async () => {
      const chunk = await sink.commit((c) => plan.progress(uri, read, withoutBytes(add(counts, c))));
      counts = add(counts, chunk);
      Object.assign(total, add(total, chunk));
      committedAt = Date.now();
    };
    if (skip) ctx.logger.info({ day: plan.day, uri, skip }, 'resuming after the last committed transaction');
    if (spill) {
      for await (const chunk of readSpill(spill.file)) {
        for (let i = 0; i < chunk.count; i++) {
          if (++read <= skip) continue;
          const full = sink.add(uri, chunk.rows[i]!, chunk.data, chunk.starts[i]!, chunk.ends[i]!);
          if (full) await full;
          if (++done % STEP) continue;
          ctx.throwIfStopped();
          if (plan.speed > 0) {
            await pace(done + skip);
            await commit();
          } else if (Date.now() - committedAt >= plan.commitSeconds * 1000) await commit();
          if (Date.now() - lastLog >= 2_000) {
            lastLog = Date.now();
            const perSec = Math.round(done / ((lastLog - started) / 1000));
            ctx.logger.info({ day: plan.day, records: done, of: expected, perSec }, 'publishing');
          }
        }
      }
    }
    // The last transaction covers the whole day; the marker follows its commit.
    await commit();
    await plan.markProduced(uri, withoutBytes(counts));
    if (spill) await rm(spill.file, { force: true });
  }
  ctx.logger.info(
    { day: plan.day, events: total.events, deadLettered: total.deadLettered, ms: Date.now() - started },
    'day replayed',
  );
  return total;
}

const copy = (c: DayCounts | undefined): Omit<Flushed, 'eventBytes'> => ({
  events: c?.events ?? 0,
  deadLettered: c?.deadLettered ?? 0,
  reasons: { ...c?.reasons },
});

const withoutBytes = (c: Flushed): DayCounts => ({
  events: c.events,
  deadLettered: c.deadLettered,
  reasons: c.reasons,
});

const add = (a: Flushed, b: Flushed): Flushed => ({
  events: a.events + b.events,
  deadLettered: a.deadLettered + b.deadLettered,
  eventBytes: a.eventBytes + b.eventBytes,
  reasons: addReasons({ ...a.reasons }, b.reasons),
});
