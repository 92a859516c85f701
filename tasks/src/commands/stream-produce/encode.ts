import type { BatchCutter, CutterOptions } from './cutter';
import type { EncodedBatch } from './publisher';
import type { Conversion } from './replay';
import { DayRouter, routeRecords, type Routed } from './route';
import { RecordSink, type Flushed } from './sink';
import { pairKey } from './transactions';

/**
 * The encoding half of an unpaced stream-produce, run on a worker thread (encode-worker.ts): raw
 * object bytes in, record batches out. It splits the records, picks their days, writes their
 * events and encodes them into per-partition record batches; the main thread reads the objects,
 * sends the batches and commits the transactions. Nothing is copied per record between threads:
 * chunks of the raw objects go in and whole batches come out, both as transferred buffers.
 */

/** What the encoder is given when it starts: the cutter's options, the conversion and the objects. */
export interface EncodeJob extends CutterOptions {
  conversion: Conversion;
  /** Raw objects in the order they are fed, with the days each owes. */
  objects: { uri: string; owed: string[]; undatedDay: string | undefined }[];
  /** Records of each (source, day) already committed by earlier runs, by pairKey: skipped. */
  skip: [string, number][];
}

/** Where a (source, day) stands after the records of a cut: records read (skipped included) and this run's counts. */
export interface PairState {
  uri: string;
  day: string;
  read: number;
  counts: Flushed;
}

/** Messages from the main thread. */
export type ToEncoder = { type: 'chunk'; data: Uint8Array } | { type: 'end' } | { type: 'sent' };

/** Messages to the main thread. */
export type FromEncoder =
  /** Batches holding every record encoded since the last cut, and the pairs they moved. */
  | { type: 'cut'; batches: EncodedBatch[]; pairs: PairState[] }
  /** One chunk was read: the main thread may send another. */
  | { type: 'consumed' }
  | { type: 'object'; uri: string; routed: Routed }
  | { type: 'done' }
  | { type: 'failed'; name: string; message: string; details?: unknown; stack?: string | undefined };

/**
 * Encodes the job's objects, read from `chunks(i)` (object i's bytes), in order; `post` hands
 * messages to the main thread. Records of a (source, day) that earlier runs committed are read
 * and skipped. Every cut carries the state of each pair its records moved, so the main thread
 * commits progress that matches exactly the records it has sent.
 */
export async function encodeObjects(
  job: EncodeJob,
  chunks: (object: number) => AsyncIterable<Buffer>,
  post: (message: FromEncoder) => void,
  cutter: (handOver: (batches: EncodedBatch[]) => void) => BatchCutter,
): Promise<void> {
  const changed = new Set<PairState & { skip: number }>();
  const snapshot = (): PairState[] => {
    // A pair still skipping reports what earlier runs committed: a commit must not move its progress back.
    const pairs = [...changed].map(({ skip, ...p }) => ({
      ...p,
      read: Math.max(p.read, skip),
      counts: { ...p.counts, reasons: { ...p.counts.reasons } },
    }));
    changed.clear();
    return pairs;
  };
  const queue = cutter((batches) => post({ type: 'cut', batches, pairs: snapshot() }));
  const sink = new RecordSink(queue, job.conversion);
  const skip = new Map(job.skip);
  for (const [index, source] of job.objects.entries()) {
    const router = new DayRouter({ days: new Set(source.owed), undatedDay: source.undatedDay });
    const pairs = new Map<string, PairState & { skip: number }>();
    let current: PairState | undefined;
    for await (const { records, days } of routeRecords(chunks(index), source.uri, router)) {
      const { data, rows, starts, ends } = records;
      for (let i = 0; i < records.count; i++) {
        const day = days[i];
        if (day === undefined) continue;
        let pair = pairs.get(day);
        if (!pair) {
          const counts = { events: 0, deadLettered: 0, eventBytes: 0, reasons: {} };
          pair = { uri: source.uri, day, read: 0, counts, skip: skip.get(pairKey(source.uri, day)) ?? 0 };
          pairs.set(day, pair);
        }
        changed.add(pair);
        if (++pair.read <= pair.skip) continue;
        if (pair !== current) {
          current = pair;
          sink.countInto(pair.counts);
        }
        const full = sink.add(source.uri, rows[i]!, data, starts[i]!, ends[i]!);
        if (full) await full;
      }
    }
    post({ type: 'object', uri: source.uri, routed: router.summary() });
  }
  // The last records, and the pairs' final state.
  await queue.cut();
  post({ type: 'done' });
}
