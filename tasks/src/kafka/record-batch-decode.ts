import { promisify } from 'node:util';
import { unzip as unzipCallback, type ZlibOptions } from 'node:zlib';
import { PipelineError } from '../errors';
import { crc32c } from './crc32c';
import { BATCH_HEADER_BYTES } from './batch-builder';
import { Codec } from './record-batch';
import { Reader } from './varint';

const unzipAsync = promisify<Buffer, ZlibOptions, Buffer>(unzipCallback);
// Output in 1 MiB pieces: zlib's default 16 KiB means a thread-pool round trip per 16 KiB of records.
const unzip = (data: Buffer) => unzipAsync(data, { chunkSize: 1 << 20 });

type Header = Buffer | null;

/** A record as kafkajs 2.2.4's fetch decoder returns it (its consumer and our lander read these fields). */
export interface DecodedRecord {
  magicByte: number;
  attributes: number;
  timestamp: string;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Header | Header[]>;
  isControlRecord: boolean;
  batchContext: Record<string, unknown>;
}

/**
 * A decoded record whose key, value, timestamp and headers are made when read: the lander reads
 * none of them (it takes the value's bytes through valueSpan), and their objects (views, a
 * string, a record, three names, three views per event) were a good part of its garbage.
 * Private fields are no properties, so the record has kafkajs's shape.
 */
class LazyRecord implements DecodedRecord {
  #body: Buffer;
  #keyAt: number;
  #valueAt: number;
  #valueLength: number;
  #headersAt: number;
  #times: BatchTimes;
  #timestampDelta: number;
  #headers: Record<string, Header | Header[]> | undefined;
  constructor(
    readonly magicByte: number,
    readonly attributes: number,
    times: BatchTimes,
    timestampDelta: number,
    readonly offset: string,
    readonly isControlRecord: boolean,
    readonly batchContext: Record<string, unknown>,
    body: Buffer,
    keyAt: number,
    valueAt: number,
    valueLength: number,
    headersAt: number,
  ) {
    this.#body = body;
    this.#keyAt = keyAt;
    this.#valueAt = valueAt;
    this.#valueLength = valueLength;
    this.#headersAt = headersAt;
    this.#times = times;
    this.#timestampDelta = timestampDelta;
  }

  get key(): Buffer | null {
    return new Reader(this.#body, this.#keyAt).bytes();
  }

  get value(): Buffer | null {
    return this.#valueLength < 0 ? null : this.#body.subarray(this.#valueAt, this.#valueAt + this.#valueLength);
  }

  get timestamp(): string {
    const t = this.#times;
    return t.logAppend ?? plus(t.first, t.firstNumber, this.#timestampDelta);
  }

  get headers(): Record<string, Header | Header[]> {
    return (this.#headers ??= decodeHeaders(new Reader(this.#body, this.#headersAt)));
  }

  /** Fills `span` with the value's bytes in the batch, without making a view; false for a null value. */
  static span(record: LazyRecord, span: ValueSpan): boolean {
    if (record.#valueLength < 0) return false;
    span.buf = record.#body;
    span.start = record.#valueAt;
    span.end = record.#valueAt + record.#valueLength;
    return true;
  }
}

/** Where a message's value lies: `buf[start, end)`. */
export interface ValueSpan {
  buf: Buffer;
  start: number;
  end: number;
}

/**
 * Fills `span` with a message's value bytes; false when the value is null. A record of our
 * decoder gives them without a view being made (the lander reads a million values per million
 * events); any other message gives its `value`.
 */
export function valueSpan(message: { value: Buffer | null }, span: ValueSpan): boolean {
  if (message instanceof LazyRecord) return LazyRecord.span(message, span);
  const value = message.value;
  if (!value) return false;
  span.buf = value;
  span.start = 0;
  span.end = value.length;
  return true;
}

/** What a batch's records need to make their timestamps: the first one, or the log-append time. */
interface BatchTimes {
  first: bigint;
  firstNumber: number;
  logAppend: string | undefined;
}

/** A record batch checksum mismatch: the bytes were damaged after the producer wrote them. */
export class CorruptRecordBatchError extends PipelineError {}

const MAGIC = 2;
const LOG_APPEND_TIME = 0x08;
const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;

/** `base + delta` as a decimal string; BigInt only beyond 2^53. */
const plus = (base: bigint, small: number, delta: number) =>
  Number.isSafeInteger(small + delta) ? String(small + delta) : (base + BigInt(delta)).toString();

function decodeHeaders(r: Reader): Record<string, Header | Header[]> {
  const headers: Record<string, Header | Header[]> = {};
  for (let n = r.varint(); n > 0; n--) {
    const name = r.bytes()?.toString('utf8') ?? 'null';
    const value = r.bytes();
    const before = Object.hasOwn(headers, name) ? headers[name] : undefined;
    const merged = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
    // Assigning __proto__ would set the prototype: define it as an own property, as kafkajs's spread does.
    if (name === '__proto__') Object.defineProperty(headers, name, { value: merged, enumerable: true, writable: true });
    else headers[name] = merged;
  }
  return headers;
}

/** Decompressions started for the gzip batches of a fetched record set, by batch position. */
const started = new WeakMap<Buffer, Map<number, Promise<Buffer>>>();

/**
 * Starts inflating every whole gzip batch of a record set at once. kafkajs asks for its batches one
 * after another; each inflate is a thread-pool round trip, so one at a time a fetch of a dozen
 * batches spent most of its time waiting. The record set is in memory until kafkajs has decoded
 * all of it either way, so starting them together costs no memory.
 */
function inflateAll(buf: Buffer, from: number): Map<number, Promise<Buffer>> {
  const inflating = new Map<number, Promise<Buffer>>();
  for (let at = from; at + BATCH_HEADER_BYTES <= buf.length;) {
    const end = at + 12 + buf.readInt32BE(at + 8);
    if (end > buf.length) break;
    const gzip = buf.readInt8(at + 16) === MAGIC && (buf.readInt16BE(at + 21) & 0x07) === Codec.GZIP;
    if (gzip && buf.readInt32BE(at + 57) > 0) {
      const inflated = unzip(buf.subarray(at + BATCH_HEADER_BYTES, end));
      // Awaited when its batch is decoded; a fetch abandoned before that must not crash the process.
      inflated.catch(() => undefined);
      inflating.set(at, inflated);
    }
    at = end;
  }
  return inflating;
}

/**
 * Decodes the record batch (magic 2) at `at` in a fetch response's record set into kafkajs's record
 * objects, with key, value and header values as views into the (decompressed) batch, not copies.
 * Checks the batch's CRC-32C, which kafkajs does not. Resolves null when the batch is cut off at
 * the end of the buffer (a fetch may end mid-batch), undefined for a magic or codec it leaves to
 * kafkajs.
 * @throws CorruptRecordBatchError when the checksum does not match.
 */
export async function decodeRecordBatch(
  buf: Buffer,
  at: number,
): Promise<{ size: number; records: DecodedRecord[] } | null | undefined> {
  if (at + 12 > buf.length) return null;
  const length = buf.readInt32BE(at + 8);
  const end = at + 12 + length;
  if (end > buf.length) return null;
  if (buf.readInt8(at + 16) !== MAGIC) return undefined;
  const attributes = buf.readInt16BE(at + 21);
  const codec = attributes & 0x07;
  if (codec !== Codec.None && codec !== Codec.GZIP) return undefined;
  if (crc32c(buf, at + 21, end) !== buf.readUInt32BE(at + 17)) {
    throw new CorruptRecordBatchError(`record batch at offset ${buf.readBigInt64BE(at)} fails its CRC-32C check`);
  }
  const firstOffset = buf.readBigInt64BE(at);
  const firstTimestamp = buf.readBigInt64BE(at + 27);
  const isControlBatch = (attributes & CONTROL) > 0;
  const logAppend = (attributes & LOG_APPEND_TIME) > 0;
  const batchContext = {
    firstOffset: firstOffset.toString(),
    firstTimestamp: firstTimestamp.toString(),
    partitionLeaderEpoch: buf.readInt32BE(at + 12),
    inTransaction: (attributes & TRANSACTIONAL) > 0,
    isControlBatch,
    lastOffsetDelta: buf.readInt32BE(at + 23),
    producerId: buf.readBigInt64BE(at + 43).toString(),
    producerEpoch: buf.readInt16BE(at + 51),
    firstSequence: buf.readInt32BE(at + 53),
    maxTimestamp: buf.readBigInt64BE(at + 35).toString(),
    timestampType: logAppend ? 1 : 0,
    magicByte: MAGIC,
  };
  const count = buf.readInt32BE(at + 57);
  if (count <= 0) return { size: end - at, records: [] };
  let inflating = started.get(buf);
  if (!inflating) started.set(buf, (inflating = inflateAll(buf, at)));
  const body =
    codec === Codec.None
      ? buf.subarray(at + BATCH_HEADER_BYTES, end)
      : await (inflating.get(at) ?? unzip(buf.subarray(at + BATCH_HEADER_BYTES, end)));
  inflating.delete(at);
  const r = new Reader(body);
  const records = new Array<DecodedRecord>(count);
  const offset0 = Number(firstOffset);
  const times: BatchTimes = {
    first: firstTimestamp,
    firstNumber: Number(firstTimestamp),
    logAppend: logAppend && batchContext.maxTimestamp ? batchContext.maxTimestamp : undefined,
  };
  for (let i = 0; i < count; i++) {
    const recordLength = r.varint();
    const next = r.pos + recordLength;
    const recordAttributes = body.readInt8(r.pos++);
    const timestampDelta = r.varlong();
    const offsetDelta = r.varint();
    const keyAt = r.pos;
    r.skipBytes();
    const valueLength = r.varint();
    const valueAt = r.pos;
    if (valueLength > 0) {
      if (valueAt + valueLength > body.length) throw new RangeError('bytes run past the end of the buffer');
      r.pos += valueLength;
    }
    const headersAt = r.pos;
    r.pos = next;
    records[i] = new LazyRecord(
      MAGIC,
      recordAttributes,
      times,
      timestampDelta,
      plus(firstOffset, offset0, offsetDelta),
      isControlBatch,
      batchContext,
      body,
      keyAt,
      valueAt,
      valueLength,
      headersAt,
    );
  }
  return { size: end - at, records };
}
