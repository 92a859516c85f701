import { parentPort, workerData } from 'node:worker_threads';
import type { EncodedBatch } from './publisher';
import { BatchCutter } from './cutter';
import { encodeObjects, type EncodeJob, type FromEncoder, type ToEncoder } from './encode';

/**
 * The worker thread of an unpaced stream-produce (encode.ts): receives the raw objects' bytes
 * chunk by chunk, an `end` after each object, and a `sent` for each cut the main thread has sent.
 */
const job = workerData as EncodeJob;
const port = parentPort!;
const inbox: ToEncoder[] = [];
let waiting: (() => void) | undefined;
let cutter: BatchCutter | undefined;

port.on('message', (message: ToEncoder) => {
  if (message.type === 'sent') return cutter?.sent();
  inbox.push(message);
  const wake = waiting;
  waiting = undefined;
  wake?.();
});

const post = (message: FromEncoder) => {
  const transfer = message.type === 'cut' ? message.batches.map((b) => b.records.buffer as ArrayBuffer) : [];
  port.postMessage(message, transfer);
};

/** Object i's chunks, up to its `end`. */
async function* chunks(): AsyncGenerator<Buffer> {
  for (;;) {
    while (!inbox.length) await new Promise<void>((resolve) => (waiting = resolve));
    const message = inbox.shift()!;
    if (message.type === 'end') return;
    if (message.type !== 'chunk') continue;
    yield Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength);
    post({ type: 'consumed' });
  }
}

const makeCutter = (handOver: (batches: EncodedBatch[]) => void) => (cutter = new BatchCutter(job, handOver));

encodeObjects(job, chunks, post, makeCutter).catch((error: unknown) => {
  const e = error instanceof Error ? error : new Error(String(error));
  const details = (e as { details?: unknown }).details;
  post({ type: 'failed', name: e.name, message: e.message, details, stack: e.stack });
});
