import { measureRecord, writeRecord, type BatchMessage } from './record';
import { sizeOfVarint, writeVarint } from './varint';

/** Bytes before the first record: base offset to record count (KIP-98 record batch, magic 2). */
export const BATCH_HEADER_BYTES = 61;

const PRE_ENCODED = Symbol('records encoded by RecordBatchBuilder');
const EMPTY = Buffer.alloc(0);

/**
 * A record whose parts are already bytes: the key `key[keyStart, keyEnd)`, then
 * `bytes[0, valueLength)` the value and `bytes[valueLength, valueLength + headersLength)` the
 * encoded headers (count and entries).
 */
export interface EncodedRecord {
  key: Uint8Array;
  keyStart: number;
  keyEnd: number;
  bytes: Uint8Array;
  valueLength: number;
  headersLength: number;
}

/** Records already encoded, with room for the batch header before them. */
export interface PreEncoded {
  /** The header's 61 bytes (to be written) followed by the records. */
  batch: Buffer;
  count: number;
  /** gzip level for a compressed batch (zlib's default when absent). */
  gzipLevel?: number | undefined;
  /** The records' gzip, when it was started before the request (Publisher.sendBatches). */
  compressed?: Promise<Buffer> | undefined;
}

/** What kafkajs sees of each record of a builder's batch (a message without a value of its own). */
export interface Marker {
  value: null;
  partition: number;
  [PRE_ENCODED]: PreEncoded;
}

/**
 * Encodes messages into the records of one batch as they arrive, so a message is garbage as soon
 * as it is appended instead of living until its batch is sent (which made young objects survive
 * into the old generation and the garbage collector the producer's largest cost). `take` hands
 * the records to kafkajs as a message list that our encoder (encodeRecordBatch) recognises.
 */
export class RecordBatchBuilder {
  private buf = EMPTY;
  private at = BATCH_HEADER_BYTES;
  private records = 0;

  /**
   * @param options.initialBytes buffer size of each batch (default 1 MiB); a bigger one grows (a copy).
   * @param options.gzipLevel 1 (fastest) to 9 for a gzip-compressed batch; default zlib's (6).
   */
  constructor(private readonly options: { initialBytes?: number; gzipLevel?: number } = {}) {}

  /** Records appended since the last take. */
  get count(): number {
    return this.records;
  }

  /** Bytes of the records appended since the last take. */
  get bytes(): number {
    return this.at - BATCH_HEADER_BYTES;
  }

  /**
   * Appends a message as the next record, timestamped with the batch (as kafkajs does for a message
   * without a timestamp). @returns the bytes it took.
   * @throws TypeError for a message with a timestamp of its own, or a key, value or header that is
   * neither a string nor a Buffer.
   */
  append(m: BatchMessage): number {
    if (m.timestamp != null) throw new TypeError('RecordBatchBuilder records take the batch timestamp');
    const size = measureRecord(m, 0, this.records);
    const need = sizeOfVarint(size.body) + size.body;
    this.reserve(need);
    this.at = writeRecord(this.buf, this.at, m, size, 0, this.records);
    this.records++;
    return need;
  }

  /**
   * Appends a record whose parts are already bytes (EncodedRecord, as EventEncoder writes them).
   * The same record bytes as `append` of the equivalent message (unit-tested). @returns the bytes it took.
   */
  appendEncoded(r: EncodedRecord): number {
    const { key, keyStart, keyEnd, bytes: data, valueLength, headersLength } = r;
    const keyLength = keyEnd - keyStart;
    const body =
      2 + // attributes and the timestamp delta 0, one byte each
      sizeOfVarint(this.records) +
      sizeOfVarint(keyLength) +
      keyLength +
      sizeOfVarint(valueLength) +
      valueLength +
      headersLength;
    const need = sizeOfVarint(body) + body;
    this.reserve(need);
    const buf = this.buf;
    let at = writeVarint(buf, this.at, body);
    buf[at++] = 0; // record attributes: none defined
    buf[at++] = 0; // timestamp delta 0: the batch's timestamp
    at = writeVarint(buf, at, this.records);
    at = writeVarint(buf, at, keyLength);
    // Loops and a plain copy: a subarray per part would be an object per record.
    for (let i = keyStart; i < keyEnd; i++) buf[at++] = key[i]!;
    at = writeVarint(buf, at, valueLength);
    const n = valueLength + headersLength;
    if (Buffer.isBuffer(data)) data.copy(buf, at, 0, n);
    else for (let i = 0; i < n; i++) buf[at + i] = data[i]!;
    this.at = at + n;
    this.records++;
    return need;
  }

  /** Room for `need` more bytes. The first record of a batch allocates its buffer, so an idle partition holds none. */
  private reserve(need: number): void {
    if (this.at + need <= this.buf.length) return;
    const initial = this.options.initialBytes ?? 1 << 20;
    const bigger = Buffer.allocUnsafe(Math.max(initial, this.buf.length * 2, this.at + need));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }

  /**
   * The appended records as kafkajs messages for `partition` (as many references to one marker as
   * there are records, so kafkajs's sequence numbers count them), and an empty builder.
   */
  take(partition: number): Marker[] {
    const count = this.records;
    return markers(this.takeRecords(), count, partition, this.options.gzipLevel);
  }

  /**
   * The appended records (after the header's room) and an empty builder, for a batch that another
   * thread sends: `markers` there turns them into kafkajs messages. Read `count` first.
   */
  takeRecords(): Buffer {
    const records = this.buf.subarray(0, this.at);
    this.buf = EMPTY;
    this.at = BATCH_HEADER_BYTES;
    this.records = 0;
    return records;
  }
}

/**
 * `count` records encoded by a RecordBatchBuilder (`batch` holds the header's room, then the
 * records) as kafkajs messages for `partition`: as many references to one marker as there are
 * records, so kafkajs's sequence numbers count them. `compressed`: their gzip, already started.
 */
export function markers(
  batch: Buffer,
  count: number,
  partition: number,
  gzipLevel?: number,
  compressed?: Promise<Buffer>,
): Marker[] {
  const marker: Marker = { value: null, partition, [PRE_ENCODED]: { batch, count, gzipLevel, compressed } };
  return new Array<Marker>(count).fill(marker);
}

/**
 * The records behind a message list made by RecordBatchBuilder.take, or undefined for ordinary
 * messages. @throws Error when such a list was mixed with other messages (kafkajs merging two
 * sends to one partition), which cannot be encoded as one batch.
 */
export function preEncoded(messages: readonly (BatchMessage | Marker)[]): PreEncoded | undefined {
  const first = messages[0] as Partial<Marker> | undefined;
  const pre = first?.[PRE_ENCODED];
  if (!pre) return undefined;
  if (messages.length !== pre.count || messages.some((m) => m !== first)) {
    throw new Error('pre-encoded records were mixed with other messages in one partition batch');
  }
  return pre;
}
