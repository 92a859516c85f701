/** A record longer than this cannot be real data: most likely an unterminated quote swallowing the file. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** One CSV record as text (line break excluded) and its 1-based record number (the header is 1). */
export interface RecordText {
  row: number;
  text: string;
}

/** Thrown when a record never ends within MAX_RECORD_BYTES; carries the record number. */
export class RecordTooLongError extends Error {
  constructor(readonly row: number) {
    super(`record ${row} runs past ${MAX_RECORD_BYTES} bytes without ending (an unterminated quote?)`);
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * End of a record that holds a quote, RFC 4180 style: a quote opens a quoted field only at a
 * field's start; inside one, `""` is a quote and line breaks are data; elsewhere quotes are
 * literal (as csv-parse's relax_quotes). Returns the index of the record's LF, or -1 when the
 * bytes end first. The delimiters are ASCII, so bytes and decoded text split alike.
 */
export function quotedRecordEnd(data: Buffer, start: number): number {
  // A JavaScript loop: a native indexOf per field would cost a binding call each.
  const n = data.length;
  let p = start;
  let fieldStart = true;
  while (p < n) {
    const b = data[p]!;
    if (fieldStart && b === QUOTE) {
      for (p++; ; p++) {
        if (p >= n) return -1;
        if (data[p] !== QUOTE) continue;
        if (p + 1 >= n) return -1; // a quote at the end: `""` or the closing one, the next chunk tells
        if (data[p + 1] !== QUOTE) break;
        p++;
      }
      p++;
      fieldStart = false;
      continue;
    }
    if (b === LF) return p;
    fieldStart = b === COMMA;
    p++;
  }
  return -1;
}

/**
 * A chunk's complete records as byte ranges: record i is `data[starts[i], ends[i])` (line break
 * and a CR before it excluded), numbered `rows[i]` (1-based; the header is 1). Bytes as read,
 * not decoded: invalid UTF-8 stays as it is (`recordText` decodes it to U+FFFD).
 */
export interface RecordBytes {
  data: Buffer;
  count: number;
  rows: number[];
  starts: number[];
  ends: number[];
}

/** Record i of `records` as text; invalid UTF-8 becomes U+FFFD, which the event conversion reports. */
export const recordText = (records: RecordBytes, i: number) =>
  records.data.toString('utf8', records.starts[i], records.ends[i]);

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The program's one CSV record splitter: cuts a byte stream into records without decoding it.
 * Memory: one chunk plus one partial record (the carry), whatever the input's size.
 */
export class ByteRecordSplitter {
  private carry: Buffer = Buffer.alloc(0);
  private row = 0;
  private started = false;

  /** Feeds one chunk; returns the records it completes. A leading UTF-8 BOM is dropped. */
  push(chunk: Buffer | Uint8Array): RecordBytes {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const data = this.carry.length ? Buffer.concat([this.carry, bytes]) : bytes;
    const out: RecordBytes = { data, count: 0, rows: [], starts: [], ends: [] };
    let start = 0;
    if (!this.started) {
      if (data.length < BOM.length && BOM.subarray(0, data.length).equals(data)) {
        this.carry = data; // too short to tell whether a BOM begins the input
        return out;
      }
      this.started = true;
      if (data.subarray(0, BOM.length).equals(BOM)) start = BOM.length;
    }
    // The next quote is searched once and reused, so unquoted records cost one native LF search.
    let quote = data.indexOf(QUOTE, start);
    for (;;) {
      const lf = data.indexOf(LF, start);
      if (quote >= 0 && quote < start) quote = data.indexOf(QUOTE, start);
      const end = quote < 0 || (lf >= 0 && quote > lf) ? lf : quotedRecordEnd(data, start);
      if (end < 0) break;
      out.rows.push(++this.row);
      out.starts.push(start);
      out.ends.push(end > start && data[end - 1] === CR ? end - 1 : end);
      out.count++;
      start = end + 1;
    }
    // A copy: a view would pin the whole chunk until the record ends.
    this.carry = start < data.length ? Buffer.from(data.subarray(start)) : Buffer.alloc(0);
    if (this.carry.length > MAX_RECORD_BYTES) throw new RecordTooLongError(this.row + 1);
    return out;
  }

  /** The last record when it has no trailing line break (count 0 when there is none). */
  end(): RecordBytes {
    const data = this.carry;
    this.carry = Buffer.alloc(0);
    const out: RecordBytes = { data, count: 0, rows: [], starts: [], ends: [] };
    let start = 0;
    if (!this.started) {
      this.started = true;
      if (data.subarray(0, BOM.length).equals(BOM)) start = BOM.length;
    }
    if (data.length > start) {
      out.rows.push(++this.row);
      out.starts.push(start);
      out.ends.push(data[data.length - 1] === CR ? data.length - 1 : data.length);
      out.count = 1;
    }
    return out;
  }

  /** Records completed so far. */
  get records(): number {
    return this.row;
  }
}

/**
 * `ByteRecordSplitter` for readers that want each record as text: every record decoded from UTF-8
 * (invalid bytes become U+FFFD, which the event conversion reports).
 */
export class RecordSplitter {
  private readonly bytes = new ByteRecordSplitter();

  /** Feeds one chunk; calls `emit` for every record it completes. A leading UTF-8 BOM is dropped. */
  push(chunk: Buffer | Uint8Array, emit: (record: RecordText) => void): void {
    RecordSplitter.each(this.bytes.push(chunk), emit);
  }

  /** Flushes a last record that has no trailing line break. */
  end(emit: (record: RecordText) => void): void {
    RecordSplitter.each(this.bytes.end(), emit);
  }

  private static each(records: RecordBytes, emit: (record: RecordText) => void): void {
    for (let i = 0; i < records.count; i++) emit({ row: records.rows[i]!, text: recordText(records, i) });
  }

  /** Records emitted so far. */
  get records(): number {
    return this.bytes.records;
  }
}

/**
 * The fields of one record (RFC 4180: `""` inside quotes is a quote). Quotes are relaxed as
 * csv-parse's relax_quotes reads them: a quote inside an unquoted field is literal, and a quoted
 * field followed by more text before the comma (`"a"b`) keeps its quotes and that text, its
 * escaped quotes read as one (`"a""b"c` is `"a"b"c`).
 */
export function splitFields(record: string): string[] {
  if (!record.includes('"')) return record.split(',');
  const fields: string[] = [];
  let p = 0;
  for (;;) {
    const start = p;
    let value = '';
    let quoted = false;
    if (record.charCodeAt(p) === 0x22) {
      quoted = true;
      const close = record.indexOf('"', p + 1);
      if (close >= 0 && record.charCodeAt(close + 1) !== 0x22) {
        value = record.slice(p + 1, close); // the common case: no escaped quote inside
        p = close + 1;
      } else {
        [value, p] = quotedValue(record, p + 1);
      }
    }
    const comma = record.indexOf(',', p);
    const end = comma < 0 ? record.length : comma;
    if (!quoted) value = record.slice(start, end);
    else if (end > p) value = `"${value}"${record.slice(p, end)}`; // text after the closing quote: quotes kept
    fields.push(value);
    if (comma < 0) return fields;
    p = comma + 1;
  }
}

/** A quoted value with `""` escapes, from just after its opening quote; returns it and the index after it. */
function quotedValue(record: string, from: number): [string, number] {
  let value = '';
  for (;;) {
    const close = record.indexOf('"', from);
    if (close < 0) return [value + record.slice(from), record.length]; // unterminated: the rest is the field
    value += record.slice(from, close);
    if (record.charCodeAt(close + 1) !== 0x22) return [value, close + 1];
    value += '"';
    from = close + 2;
  }
}

/**
 * The one CSV reader of the program (ingest-raw's scan, stream-produce, the quality readers and the
 * reconcile gate): records of a byte stream, a chunk's worth at a time, split by RecordSplitter
 * (RFC 4180 quoting with `""` escapes, line breaks inside quotes, CRLF or LF, a leading BOM
 * dropped, a stray quote inside an unquoted field kept as data). Fields: `splitFields`.
 * @throws RecordTooLongError for a record that never ends (an unterminated quote).
 */
export async function* readRecords(body: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<RecordText[]> {
  const splitter = new RecordSplitter();
  let batch: RecordText[] = [];
  const collect = (r: RecordText) => void batch.push(r);
  for await (const chunk of body) {
    splitter.push(chunk, collect);
    if (batch.length) {
      yield batch;
      batch = [];
    }
  }
  splitter.end(collect);
  if (batch.length) yield batch;
}
