import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint';

export type Bytes = Buffer | string | null | undefined;

/** A message as kafkajs's producer takes it. */
export interface BatchMessage {
  key?: Bytes;
  value: Bytes;
  headers?: Record<string, Bytes | Bytes[]> | undefined;
  /** Milliseconds since the epoch; default: the time of encoding. */
  timestamp?: string | number | undefined;
}

/** UTF-8 length of a key, value or header value; -1 for null. */
export function byteLength(v: unknown): number {
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

/** The sizes one record needs: its body (what its length prefix counts), key and value (-1 = null). */
export interface RecordSize {
  body: number;
  key: number;
  value: number;
}

/**
 * Measures one record (magic 2): attributes, timestamp delta, offset delta, key, value, headers.
 * The record takes `sizeOfVarint(body) + body` bytes.
 * @throws TypeError for a key, value or header value that is neither a string nor a Buffer.
 */
export function measureRecord(m: BatchMessage, timestampDelta: number, offsetDelta: number): RecordSize {
  const key = byteLength(m.key);
  const value = byteLength(m.value);
  const body =
    1 +
    sizeOfVarlong(timestampDelta) +
    sizeOfVarint(offsetDelta) +
    sizeOfVarint(key) +
    Math.max(key, 0) +
    sizeOfVarint(value) +
    Math.max(value, 0) +
    sizeOfHeaders(m.headers);
  return { body, key, value };
}

/** Writes one measured record at `at`; returns the offset after it. */
export function writeRecord(
  buf: Buffer,
  at: number,
  m: BatchMessage,
  size: RecordSize,
  timestampDelta: number,
  offsetDelta: number,
): number {
  at = writeVarint(buf, at, size.body);
  buf[at++] = 0; // record attributes: none defined
  at = writeVarlong(buf, at, timestampDelta);
  at = writeVarint(buf, at, offsetDelta);
  at = writeBytes(buf, at, m.key, size.key);
  at = writeBytes(buf, at, m.value, size.value);
  return writeHeaders(buf, at, m.headers);
}
