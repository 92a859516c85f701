import { crc32c } from './crc32c';
import { BATCH_HEADER_BYTES, preEncoded, type Marker } from './batch-builder';
import { measureRecord, writeRecord, type BatchMessage } from './record';
import { gzip } from './gzip-pool';
import { sizeOfVarint } from './varint';

export { BATCH_HEADER_BYTES } from './batch-builder';
export type { BatchMessage } from './record';

/** kafkajs's compression type numbers (the codec bits of the batch attributes). */
export const Codec = { None: 0, GZIP: 1 } as const;

export interface RecordBatchOptions {
  messages: (BatchMessage | Marker)[];
  /** kafkajs compression type: only None and GZIP are encoded here. */
  compression: number;
  /** A kafkajs Long, a bigint or a number; -1 without an idempotent producer. */
  producerId: { toString(): string } | bigint | number;
  producerEpoch: number;
  firstSequence: number;
  transactional: boolean;
  /** The time for messages without a timestamp (tests pin it). */
  now?: number;
}

const MAGIC = 2;
const TRANSACTIONAL = 0x10;

/**
 * Encodes messages as the records of one batch straight into one buffer (a sizing pass, one
 * allocation, a writing pass), after `headerBytes` left free for the batch header.
 */
function encodeRecords(messages: BatchMessage[], times: number[], base: number, headerBytes: number): Buffer {
  const sizes = messages.map((m, i) => measureRecord(m, times[i]! - base, i));
  const total = sizes.reduce((n, s) => n + sizeOfVarint(s.body) + s.body, 0);
  const buf = Buffer.allocUnsafe(headerBytes + total);
  let at = headerBytes;
  for (let i = 0; i < messages.length; i++) at = writeRecord(buf, at, messages[i]!, sizes[i]!, times[i]! - base, i);
  return buf;
}

/** The batch's base and max timestamps: the smallest and largest given, else `now` for both. */
function timeRange(messages: BatchMessage[], times: number[], now: number): [number, number] {
  let base = Infinity;
  let max = -Infinity;
  for (let i = 0; i < messages.length; i++) {
    if (messages[i]!.timestamp != null) base = Math.min(base, times[i]!);
    max = Math.max(max, times[i]!);
  }
  return base === Infinity ? [now, now] : [base, max];
}

/**
 * One Kafka record batch (magic 2) holding `messages`, as the bytes of a produce request's record
 * set: the same bytes kafkajs 2.2.4 encodes for the same input (unit-tested), built in one buffer
 * instead of one growing encoder per record and header. Offsets count from 0, timestamps from the
 * smallest given timestamp (or `now`). A message list from RecordBatchBuilder.take is sent as the
 * records it already holds, gzipped at the builder's level. Resolves undefined for a codec other
 * than None and GZIP, which the caller then leaves to kafkajs.
 */
export async function encodeRecordBatch(o: RecordBatchOptions): Promise<Buffer | undefined> {
  if (o.compression !== Codec.None && o.compression !== Codec.GZIP) return undefined;
  const now = o.now ?? Date.now();
  const pre = preEncoded(o.messages);
  const messages = o.messages as BatchMessage[];
  const times = pre ? [] : messages.map((m) => (m.timestamp == null ? now : Number(m.timestamp)));
  const [base, max] = pre ? [now, now] : timeRange(messages, times, now);
  let batch: Buffer;
  if (o.compression === Codec.None) {
    batch = pre ? pre.batch : encodeRecords(messages, times, base, BATCH_HEADER_BYTES);
  } else {
    const records = pre ? pre.batch.subarray(BATCH_HEADER_BYTES) : encodeRecords(messages, times, base, 0);
    // zlib's default level (-1) is what kafkajs's own codec uses.
    const compressed = await (pre?.compressed ?? gzip(records, pre?.gzipLevel ?? -1));
    batch = Buffer.allocUnsafe(BATCH_HEADER_BYTES + compressed.length);
    batch.set(compressed, BATCH_HEADER_BYTES);
  }
  batch.writeBigInt64BE(0n, 0); // base offset: the broker assigns offsets
  batch.writeInt32BE(batch.length - 12, 8); // length of what follows this field
  batch.writeInt32BE(0, 12); // partition leader epoch (kafkajs sends 0; the broker sets it)
  batch.writeInt8(MAGIC, 16);
  batch.writeInt16BE(o.compression | (o.transactional ? TRANSACTIONAL : 0), 21);
  batch.writeInt32BE(o.messages.length - 1, 23); // last offset delta
  batch.writeBigInt64BE(BigInt(base), 27);
  batch.writeBigInt64BE(BigInt(max), 35);
  batch.writeBigInt64BE(BigInt(o.producerId.toString()), 43);
  batch.writeInt16BE(o.producerEpoch, 51);
  batch.writeInt32BE(o.firstSequence, 53);
  batch.writeInt32BE(o.messages.length, 57);
  // The CRC covers everything from the attributes to the end.
  batch.writeUInt32BE(crc32c(batch, 21), 17);
  return batch;
}
