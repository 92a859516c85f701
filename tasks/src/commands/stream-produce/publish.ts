import { rm } from 'node:fs/promises';
import path from 'node:path';
import { mapConcurrent } from '../../concurrency';
import type { StepContext } from '../../runtime';
import { addReasons } from '../../events/produced';
import { InputRejectedError } from '../../errors';
import { startWorker } from '../../threads';
import type { EncodeJob, FromEncoder, ToEncoder } from './encode';
import type { Progress, Publisher } from './publisher';
import { RecordSink, type Flushed } from './sink';
import type { Conversion, DayCounts } from './replay';
import type { Routed, Spilled } from './route';
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
  /** Records of the (source, day) already published in a committed transaction, in source order. */
  records: number;
  counts: DayCounts;
}

/** The key of a (source, day) in `PublishPlan.resume`. */
export const pairKey = (uri: string, day: string) => `${day} ${uri}`;

/** What both ways of publishing share: the days, the commits and the markers. */
export interface PublishPlan {
  /** The days to publish, in date order. */
  days: string[];
  /** Seconds between transaction commits of an unpaced replay (a crash re-publishes at most that much, never twice). */
  commitSeconds: number;
  /** Each (source, day)'s committed progress, by pairKey (absent: nothing committed). */
  resume: Map<string, Resume>;
  /** The progress record of a (source, day), committed inside each transaction that carries its records. */
  progress: (uri: string, day: string, records: number, counts: DayCounts) => Progress;
  /** Called once a (source, day)'s records are all committed: writes its produced marker. */
  markProduced: (uri: string, day: string, counts: DayCounts) => Promise<void>;
}

/** A paced replay: days in date order, each from its sources' spill files. */
export interface PacedPlan extends PublishPlan {
  conversion: Conversion;
  /** Raw objects that owe each day, in order, with their spill files. */
  sources: (day: string) => { uri: string; routed: Spilled }[];
  speed: number;
}

/** An unpaced replay: each raw object read once, its records published in source order. */
export interface DirectPlan extends PublishPlan {
  /** How the encoding thread turns records into batches. */
  encoding: Pick<EncodeJob, 'conversion' | 'partitions' | 'batchBytes'>;
  objects: {
    uri: string;
    /** The days this object still owes. */
    owed: ReadonlySet<string>;
    /** The day that takes the object's rows without a readable date. */
    undatedDay: string | undefined;
    /** The object's bytes, opened when its turn comes. */
    open: () => Promise<AsyncIterable<Buffer | Uint8Array>>;
  }[];
}

/** A (source, day) being published: records read of it, this run's counts and the committed ones before it. */
interface Pair {
  uri: string;
  day: string;
  read: number;
  /** Records already committed by earlier runs (skipped). */
  skip: number;
  counts: Flushed;
  before: Flushed;
  file?: string | undefined;
}

/** A pair's counts for the whole day: what earlier runs' committed transactions covered, then this run's. */
const whole = (p: Pair): DayCounts => withoutBytes(add(p.before, p.counts));

/**
 * The Kafka transactions of a run, which may span days: one every `commitSeconds` and one at the
 * end (so the fixed cost of a commit is paid per transaction, not per day). Each also commits,
 * for every (source, day) it carries records of, how many of that day's records are now committed
 * (`plan.progress`), so a run that dies at any point is resumed by the next one at the first
 * record not committed: nothing is published twice or lost. A (source, day)'s produced marker is
 * written after the commit of the transaction holding its last record.
 */
class Transactions {
  /** Pairs with records in the open transaction. */
  readonly open = new Set<Pair>();
  /** Pairs whose last record is in the open transaction. */
  finished: Pair[] = [];
  private committedAt = Date.now();

  constructor(
    private readonly ctx: StepContext,
    private readonly publisher: Publisher,
    private readonly plan: PublishPlan,
  ) {}

  /** A (source, day) starting, resumed where earlier runs' committed transactions left it. */
  pair(uri: string, day: string, file?: string): Pair {
    const resume = this.plan.resume.get(pairKey(uri, day));
    const skip = resume?.records ?? 0;
    if (skip) this.ctx.logger.info({ day, uri, skip }, 'resuming after the last committed transaction');
    const before = { eventBytes: 0, ...copy(resume?.counts) };
    const pair: Pair = { uri, day, read: 0, skip, counts: empty(), before, file };
    this.open.add(pair);
    return pair;
  }

  /** True when the open transaction is `commitSeconds` old. */
  due(): boolean {
    return Date.now() - this.committedAt >= this.plan.commitSeconds * 1000;
  }

  async commit(): Promise<void> {
    if (!this.open.size) return;
    const began = Date.now();
    const progress = [...this.open].map((p) => this.plan.progress(p.uri, p.day, p.read, whole(p)));
    await this.publisher.commit(progress);
    this.open.clear();
    const done = this.finished;
    this.finished = [];
    this.committedAt = Date.now();
    await mapConcurrent(done, MARKER_WRITES, async (p) => {
      await this.plan.markProduced(p.uri, p.day, whole(p));
      if (p.file) await rm(p.file, { force: true });
    });
    const ms = { commit: this.committedAt - began, markers: Date.now() - this.committedAt };
    this.ctx.logger.info({ days: progress.length, marked: done.length, ms }, 'transaction committed');
  }
}

/** Logs the publishing rate every two seconds. */
function rateLog(ctx: StepContext, fields: () => Record<string, unknown>) {
  const started = Date.now();
  let last = started;
  return (done: number) => {
    if (Date.now() - last < 2_000) return;
    last = Date.now();
    ctx.logger.info({ ...fields(), records: done, perSec: Math.round(done / ((last - started) / 1000)) }, 'publishing');
  };
}

/** Where the encoding thread's module is: next to this one, built (.js) or run from source by Jest (.ts). */
const ENCODE_WORKER = path.join(__dirname, `encode-worker${path.extname(__filename)}`);
/** Raw object bytes per chunk handed to the encoding thread, and chunks handed over and not yet read. */
const CHUNK_BYTES = 1 << 20;
const CHUNKS_AHEAD = 4;

/**
 * An unpaced replay: each raw object read once and its records of the owed days published in
 * source order, without spilling (a day's records stay in source order on their partitions,
 * which is all the lander and the exactly-once progress need; days interleave only where the raw
 * file does). A worker thread (encode.ts) splits, routes and encodes the records into record
 * batches; this thread reads the objects, sends the batches, commits the transactions and writes
 * the markers after the last commit.
 * @returns this run's counts of each owed day (the day's sources together), and what each object held.
 */
export async function publishDirect(ctx: StepContext, publisher: Publisher, plan: DirectPlan) {
  const tx = new Transactions(ctx, publisher, plan);
  const job: EncodeJob = {
    ...plan.encoding,
    objects: plan.objects.map((o) => ({ uri: o.uri, owed: [...o.owed], undatedDay: o.undatedDay })),
    skip: [...plan.resume].map(([key, r]) => [key, r.records]),
    cutsAhead: 2,
  };
  const worker = startWorker(ENCODE_WORKER, job);
  const inbox: FromEncoder[] = [];
  let failure: unknown;
  let wake: (() => void) | undefined;
  let unread = 0;
  let readerWake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const fail = (error: unknown) => {
    failure ??= error;
    notify();
    readerWake?.();
  };
  worker.on('message', (m: FromEncoder) => {
    if (m.type === 'consumed') {
      unread--;
      const w = readerWake;
      readerWake = undefined;
      return w?.();
    }
    inbox.push(m);
    notify();
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the encoding thread exited (code ${code})`)));

  /** Feeds each object's bytes to the thread in 1 MiB chunks, at most CHUNKS_AHEAD unread. */
  const feed = async () => {
    for (const source of plan.objects) {
      let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      let filled = 0;
      const handOver = async () => {
        while (unread >= CHUNKS_AHEAD && failure === undefined) {
          await new Promise<void>((resolve) => (readerWake = resolve));
        }
        if (failure !== undefined) throw failure;
        ctx.throwIfStopped();
        unread++;
        const data = chunk.subarray(0, filled);
        worker.postMessage({ type: 'chunk', data } satisfies ToEncoder, [data.buffer as ArrayBuffer]);
        chunk = Buffer.allocUnsafe(CHUNK_BYTES);
        filled = 0;
      };
      for await (const part of await source.open()) {
        let at = 0;
        while (at < part.length) {
          const n = Math.min(part.length - at, CHUNK_BYTES - filled);
          chunk.set(part.subarray(at, at + n), filled);
          filled += n;
          at += n;
          if (filled === CHUNK_BYTES) await handOver();
        }
      }
      if (filled) await handOver();
      worker.postMessage({ type: 'end' } satisfies ToEncoder);
    }
  };

  const routed = new Map<string, Routed>();
  const pairs = new Map<string, Pair>();
  const started = Date.now();
  const log = rateLog(ctx, () => ({}));
  let sent = 0;
  try {
    const feeding = feed().catch(fail);
    for (;;) {
      while (!inbox.length && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
      if (failure !== undefined) throw rebuilt(failure);
      const m = inbox.shift()!;
      if (m.type === 'failed') throw rebuilt(m);
      if (m.type === 'object') {
        routed.set(m.uri, m.routed);
        ctx.logger.info({ uri: m.uri, records: m.routed.records, ms: Date.now() - started }, 'raw object read');
        continue;
      }
      if (m.type === 'done') break;
      if (m.type !== 'cut') continue;
      ctx.throwIfStopped();
      const batches = m.batches.map((b) => ({ ...b, records: asBuffer(b.records) }));
      await publisher.sendBatches(batches);
      worker.postMessage({ type: 'sent' } satisfies ToEncoder);
      for (const state of m.pairs) {
        const key = pairKey(state.uri, state.day);
        let pair = pairs.get(key);
        if (!pair) pairs.set(key, (pair = tx.pair(state.uri, state.day)));
        pair.read = state.read;
        pair.counts = state.counts;
        tx.open.add(pair);
      }
      sent += batches.reduce((n, b) => n + b.count, 0);
      if (tx.due()) await tx.commit();
      log(sent);
    }
    await feeding;
  } finally {
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
  // A day some source has records of is marked for each source that owes it, those without any
  // record of it included (with zero counts), so a re-run skips the day; a day without a record
  // anywhere gets no marker, so later steps can tell it was empty.
  const withRecords = new Set([...pairs.values()].map((p) => p.day));
  for (const { uri, owed } of plan.objects) {
    for (const day of owed) {
      const key = pairKey(uri, day);
      if (withRecords.has(day) && !pairs.has(key)) pairs.set(key, tx.pair(uri, day));
    }
  }
  // The last commit carries every pair's progress, so it runs even when a timed commit took the
  // last records, and the markers follow it.
  for (const p of pairs.values()) tx.open.add(p);
  tx.finished.push(...pairs.values());
  await tx.commit();
  const perDay = new Map<string, Flushed>();
  for (const { owed } of plan.objects) for (const day of owed) perDay.set(day, empty());
  for (const p of pairs.values()) perDay.set(p.day, add(perDay.get(p.day)!, p.counts));
  return { perDay, routed };
}

/** A buffer that crossed threads arrives as a plain Uint8Array view. */
const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** The encoding thread's failure as the error it was (an InputRejectedError keeps exit code 1). */
function rebuilt(failure: unknown): unknown {
  const m = failure as Partial<Extract<FromEncoder, { type: 'failed' }>>;
  if (m?.type !== 'failed') return failure;
  const error =
    m.name === 'InputRejectedError'
      ? new InputRejectedError(m.message!, { details: m.details as Record<string, unknown> })
      : new Error(m.message);
  if (m.stack) error.stack = m.stack;
  return error;
}

/**
 * A paced replay (`speed` > 0): days in date order, each source's spill file in order, a commit
 * at every step so events become visible when due, and at each day's end.
 * @returns this run's counts of each day some source owed (the day's sources together).
 */
export async function publishPaced(ctx: StepContext, publisher: Publisher, plan: PacedPlan) {
  const tx = new Transactions(ctx, publisher, plan);
  const sink = new RecordSink(publisher, plan.conversion);
  const perDay = new Map<string, Flushed>();
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
    const log = rateLog(ctx, () => ({ day, of: expected }));
    const pairs: Pair[] = [];
    for (const { uri, routed } of sources) {
      const spill = routed.spills.get(day);
      const pair = tx.pair(uri, day, spill?.file);
      pairs.push(pair);
      sink.countInto(pair.counts);
      if (spill) {
        for await (const chunk of readSpill(spill.file)) {
          for (let i = 0; i < chunk.count; i++) {
            if (++pair.read <= pair.skip) {
              skipped++;
              continue;
            }
            const full = sink.add(uri, chunk.rows[i]!, chunk.data, chunk.starts[i]!, chunk.ends[i]!);
            if (full) await full;
            if (++done % STEP) continue;
            await yieldToEventLoop();
            ctx.throwIfStopped();
            await pace(done + skipped);
            await tx.commit();
            tx.open.add(pair);
            log(done);
          }
        }
      }
      // Its last record is in the open transaction: the marker follows that transaction's commit.
      tx.finished.push(pair);
    }
    // A paced day is visible when due: its last records are committed before the next day starts.
    await tx.commit();
    // This run's counts (what it published), as before for a resumed day.
    const total = pairs.reduce((t, p) => add(t, p.counts), empty());
    perDay.set(day, total);
    ctx.logger.info(
      { day, events: total.events, deadLettered: total.deadLettered, published: done, ms: Date.now() - started },
      'day replayed',
    );
  }
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
