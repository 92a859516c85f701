import { promisify } from 'node:util';
import { gzip as gzipCallback, type ZlibOptions } from 'node:zlib';
import { crc32c } from './crc32c';
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint';

const gzip = promisify<Buffer, ZlibOptions, Buffer>(gzipCallback);

/** kafkajs's compression type numbers (the codec bits of the batch attributes). */
export const Codec = { None: 0, GZIP: 1 } as const;

type Bytes = Buffer | string | null | undefined;

/** A message as kafkajs's producer takes it. */
export interface BatchMessage {
  key?: Bytes;
  value: Bytes;
  headers?: Record<string, Bytes | Bytes[]> | undefined;
  /** Milliseconds since the epoch; default: the time of encoding. */
  timestamp?: string | number | undefined;
}

export interface RecordBatchOptions {
  messages: BatchMessage[];
  /** kafkajs compression type: only None and GZIP are encoded here. */
  compression: number;
  /** A kafkajs Long, a bigint or a number; -1 without an idempotent producer. */
  producerId: { toString(): string } | bigint | number;
  producerEpoch: number;
  firstSequence: number;
  transactional: boolean;
  /** The time for messages without a timestamp (tests pin it). */
  now?: number;
  /** gzip level; default zlib's (6), as kafkajs's own codec uses. */
  gzipLevel?: number;
}

/** Bytes before the first record: base offset to record count (KIP-98 record batch, magic 2). */
export const BATCH_HEADER_BYTES = 61;
const MAGIC = 2;
const TRANSACTIONAL = 0x10;

/** UTF-8 length of a key, value or header value; -1 for null. */
function byteLength(v: unknown): number {
  if (v == null) return -1;
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (v instanceof Uint8Array) return v.length;
  throw new TypeError(`a Kafka key, value or header must be a string or a Buffer, not ${typeof v}`);
}

function writeBytes(buf: Buffer, at: number, v: Bytes, length: number): number {
  if (length < 0) return writeVarint(buf, at, -1);
  at = writeVarint(buf, at, length);
  if (typeof v === 'string') buf.write(v, at, length, 'utf8');
  else buf.set(v!, at);
  return at + length;
}

/** Bytes of a record's header count and headers; arrays are unrolled in order, as kafkajs does. */
function sizeOfHeaders(headers: BatchMessage['headers']): number {
  let count = 0;
  let size = 0;
  if (headers) {
    for (const key of Object.keys(headers)) {
      const kl = Buffer.byteLength(key, 'utf8');
      const value = headers[key];
      for (const v of Array.isArray(value) ? value : [value]) {
        const vl = byteLength(v);
        size += sizeOfVarint(kl) + kl + sizeOfVarint(vl) + Math.max(vl, 0);
        count++;
      }
    }
  }
  return sizeOfVarint(count) + size;
}

function writeHeaders(buf: Buffer, at: number, headers: BatchMessage['headers']): number {
  if (!headers) return writeVarint(buf, at, 0);
  let count = 0;
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    count += Array.isArray(value) ? value.length : 1;
  }
  at = writeVarint(buf, at, count);
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    for (const v of Array.isArray(value) ? value : [value]) {
      at = writeBytes(buf, at, key, Buffer.byteLength(key, 'utf8'));
      at = writeBytes(buf, at, v, byteLength(v));
    }
  }
  return at;
}

/**
 * Encodes messages as the records of one batch straight into one buffer (a sizing pass, one
 * allocation, a writing pass), after `headerBytes` left free for the batch header.
 */
function encodeRecords(messages: BatchMessage[], times: number[], base: number, headerBytes: number): Buffer {
  const lengths = new Int32Array(messages.length * 3);
  let total = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const key = byteLength(m.key);
    const value = byteLength(m.value);
    const body =
      1 +
      sizeOfVarlong(times[i]! - base) +
      sizeOfVarint(i) +
      sizeOfVarint(key) +
      Math.max(key, 0) +
      sizeOfVarint(value) +
      Math.max(value, 0) +
      sizeOfHeaders(m.headers);
    lengths[i * 3] = body;
    lengths[i * 3 + 1] = key;
    lengths[i * 3 + 2] = value;
    total += sizeOfVarint(body) + body;
  }
  const buf = Buffer.allocUnsafe(headerBytes + total);
  let at = headerBytes;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    at = writeVarint(buf, at, lengths[i * 3]!);
    buf[at++] = 0; // record attributes: none defined
    at = writeVarlong(buf, at, times[i]! - base);
    at = writeVarint(buf, at, i);
    at = writeBytes(buf, at, m.key, lengths[i * 3 + 1]!);
    at = writeBytes(buf, at, m.value, lengths[i * 3 + 2]!);
    at = writeHeaders(buf, at, m.headers);
  }
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
 * smallest given timestamp (or `now`). Resolves undefined for a codec other than None and GZIP,
 * which the caller then leaves to kafkajs.
 */
export async function encodeRecordBatch(o: RecordBatchOptions): Promise<Buffer | undefined> {
  if (o.compression !== Codec.None && o.compression !== Codec.GZIP) return undefined;
  const now = o.now ?? Date.now();
  const times = o.messages.map((m) => (m.timestamp == null ? now : Number(m.timestamp)));
  const [base, max] = timeRange(o.messages, times, now);
  let batch: Buffer;
  if (o.compression === Codec.None) {
    batch = encodeRecords(o.messages, times, base, BATCH_HEADER_BYTES);
  } else {
    const records = encodeRecords(o.messages, times, base, 0);
    const level = o.gzipLevel ?? -1;
    // 256 KiB output pieces: zlib's default 16 KiB costs a thread-pool round trip per piece.
    const compressed = await gzip(records, { level, chunkSize: 256 * 1024 });
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
