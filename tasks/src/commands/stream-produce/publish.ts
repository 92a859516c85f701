import { rm } from 'node:fs/promises';
import { mapConcurrent } from '../../concurrency';
import type { StepContext } from '../../runtime';
import { addReasons } from '../../events/produced';
import type { Progress } from './publisher';
import type { Flushed, RecordSink } from './sink';
import type { DayCounts } from './replay';
import type { Routed } from './route';
import { readSpill } from './spill';

/** How often (records) the publishing loop yields to the event loop, paces, logs and checks for a stop request. */
const STEP = 64;
/** Produced markers written at once after a commit (each an S3 PUT). */
const MARKER_WRITES = 24;

/**
 * Resolves after the event loop has run its pending I/O callbacks. Awaiting a settled promise
 * does not: it only runs microtasks, so a loop that rarely waits starves its own requests.
 */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

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

/** The key of a (source, day) in `RangePlan.resume`. */
export const pairKey = (uri: string, day: string) => `${day} ${uri}`;

export interface RangePlan {
  /** The days to publish, in date order. */
  days: string[];
  /** Raw objects that owe each day, in order, with their routed spill files. */
  sources: (day: string) => { uri: string; routed: Routed }[];
  speed: number;
  /** Seconds between transaction commits of an unpaced replay (a crash re-publishes at most that much, never twice). */
  commitSeconds: number;
  /** Each (source, day)'s committed progress, by pairKey (absent: nothing committed). */
  resume: Map<string, Resume>;
  /** The progress record of a (source, day), committed inside each transaction that carries its records. */
  progress: (uri: string, day: string, records: number, counts: DayCounts) => Progress;
  /** Called once a (source, day)'s records are all committed: writes its produced marker. */
  markProduced: (uri: string, day: string, counts: DayCounts) => Promise<void>;
}

/** A (source, day) being published: records read from its spill, this run's counts and the committed ones before it. */
interface Pair {
  uri: string;
  day: string;
  read: number;
  counts: Flushed;
  before: Flushed;
  file?: string | undefined;
}

/** A pair's counts for the whole day: what earlier runs' committed transactions covered, then this run's. */
const whole = (p: Pair): DayCounts => withoutBytes(add(p.before, p.counts));

/**
 * Publishes days in date order, each source's spill file in order, through the sink, in Kafka
 * transactions that may span days: one every `commitSeconds` and one at the end (so the fixed
 * cost of a commit is paid per transaction, not per day). Each transaction also commits, for
 * every (source, day) it carries records of, how many of that day's records are now committed
 * (`plan.progress`), so a run that dies at any point is resumed by the next one at the first
 * record not committed: nothing is published twice or lost. A (source, day)'s produced marker
 * is written after the commit of the transaction holding its last record. A paced replay
 * (`speed` > 0) commits at every step so events become visible when due.
 * @returns this run's counts of each day some source owed (the day's sources together).
 */
export async function publishRange(ctx: StepContext, sink: RecordSink, plan: RangePlan) {
  const perDay = new Map<string, Flushed>();
  /** Pairs with records in the open transaction, and those of them whose last record is in it. */
  const open = new Set<Pair>();
  let finished: Pair[] = [];
  let committedAt = Date.now();
  const commit = async () => {
    if (!open.size) return;
    const began = Date.now();
    const progress = [...open].map((p) => plan.progress(p.uri, p.day, p.read, whole(p)));
    await sink.commit(progress);
    open.clear();
    const done = finished;
    finished = [];
    committedAt = Date.now();
    await mapConcurrent(done, MARKER_WRITES, async (p) => {
      await plan.markProduced(p.uri, p.day, whole(p));
      if (p.file) await rm(p.file, { force: true });
    });
    const ms = { commit: committedAt - began, markers: Date.now() - committedAt };
    ctx.logger.info({ days: progress.length, marked: done.length, ms }, 'transaction committed');
  };

  for (const day of plan.days) {
    const sources = plan.sources(day);
    const expected = sources.reduce((n, s) => n + (s.routed.spills.get(day)?.records ?? 0), 0);
    if (!sources.length) continue;
    // A day without a record is not produced: no marker, so later steps can tell it was empty.
    perDay.set(day, empty());
    if (expected === 0) continue;
    const started = Date.now();
    const pace = pacer(plan.speed, expected, ctx.signal);
    let done = 0;
    let skipped = 0;
    let lastLog = started;
    const pairs: Pair[] = [];
    for (const { uri, routed } of sources) {
      const spill = routed.spills.get(day);
      const resume = plan.resume.get(pairKey(uri, day));
      const skip = resume?.records ?? 0;
      const before = { eventBytes: 0, ...copy(resume?.counts) };
      const pair: Pair = { uri, day, read: 0, counts: empty(), before, file: spill?.file };
      pairs.push(pair);
      open.add(pair);
      sink.countInto(pair.counts);
      if (skip) ctx.logger.info({ day, uri, skip }, 'resuming after the last committed transaction');
      if (spill) {
        for await (const chunk of readSpill(spill.file)) {
          for (let i = 0; i < chunk.count; i++) {
            if (++pair.read <= skip) {
              skipped++;
              continue;
            }
            const full = sink.add(uri, chunk.rows[i]!, chunk.data, chunk.starts[i]!, chunk.ends[i]!);
            if (full) await full;
            if (++done % STEP) continue;
            // Lets I/O callbacks run: the request in flight only moves on (its gzip handed over,
            // the request written, the answer read) when this loop yields.
            await yieldToEventLoop();
            ctx.throwIfStopped();
            if (plan.speed > 0) {
              await pace(done + skipped);
              await commit();
              open.add(pair);
            } else if (Date.now() - committedAt >= plan.commitSeconds * 1000) {
              await commit();
              open.add(pair);
            }
            if (Date.now() - lastLog >= 2_000) {
              lastLog = Date.now();
              const perSec = Math.round(done / ((lastLog - started) / 1000));
              ctx.logger.info({ day, records: done, of: expected, perSec }, 'publishing');
            }
          }
        }
      }
      // Its last record is in the open transaction: the marker follows that transaction's commit.
      finished.push(pair);
    }
    // A paced day is visible when due: its last records are committed before the next day starts.
    if (plan.speed > 0) await commit();
    // This run's counts (what it published), as before for a resumed day.
    const total = pairs.reduce((t, p) => add(t, p.counts), empty());
    perDay.set(day, total);
    ctx.logger.info(
      { day, events: total.events, deadLettered: total.deadLettered, published: done, ms: Date.now() - started },
      'day replayed',
    );
  }
  await commit();
  return perDay;
}

const empty = (): Flushed => ({ events: 0, deadLettered: 0, eventBytes: 0, reasons: {} });

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
