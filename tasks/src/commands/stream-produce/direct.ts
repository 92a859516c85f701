import path from 'node:path';
import { InputRejectedError } from '../../errors';
import type { StepContext } from '../../runtime';
import { startWorker } from '../../threads';
import type { EncodeJob, FromEncoder, ToEncoder } from './encode';
import type { Publisher } from './publisher';
import type { Routed } from './route';
import { outcome, pairKey, rateLog, Transactions, type Pair, type PublishPlan } from './transactions';

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
 * @returns each owed day's outcome (this run's counts and the whole day's), and what each object held.
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
  // A day some source has records of (in this run, or marked by an earlier one) is marked for each
  // source that owes it, those without any record of it included (with zero counts), so a re-run
  // skips the day; a day without a record anywhere gets no marker, so later steps can tell it was
  // empty.
  const withRecords = new Set([...pairs.values()].map((p) => p.day).concat([...plan.recordedElsewhere]));
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
  const byDay = new Map<string, Pair[]>();
  for (const { owed } of plan.objects) for (const day of owed) byDay.set(day, []);
  for (const p of pairs.values()) byDay.get(p.day)!.push(p);
  const perDay = new Map([...byDay].map(([day, ps]) => [day, outcome(ps)]));
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
