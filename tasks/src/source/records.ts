import { StringDecoder } from 'node:string_decoder';

/** A record longer than this cannot be real data: most likely an unterminated quote swallowing the file. */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

/** One CSV record as text (line break excluded) and its 1-based record number (the header is 1). */
export interface RecordText {
  row: number;
  text: string;
}

/** Thrown when a record never ends within MAX_RECORD_CHARS; carries the record number. */
export class RecordTooLongError extends Error {
  constructor(readonly row: number) {
    super(`record ${row} runs past ${MAX_RECORD_CHARS} characters without ending (an unterminated quote?)`);
  }
}

/**
 * End of a record that holds a quote, RFC 4180 style: a quote opens a quoted field only at a
 * field's start; inside one, `""` is a quote and line breaks are data; elsewhere quotes are
 * literal (as csv-parse's relax_quotes). Returns the index of the record's LF, or -1 when the text
 * ends first.
 */
export function quotedRecordEnd(text: string, start: number): number {
  let p = start;
  for (;;) {
    if (text.charCodeAt(p) === 0x22) {
      let close = text.indexOf('"', p + 1);
      while (close >= 0 && text.charCodeAt(close + 1) === 0x22) close = text.indexOf('"', close + 2);
      if (close < 0 || close + 1 >= text.length) return -1;
      p = close + 1;
    }
    const comma = text.indexOf(',', p);
    const end = text.indexOf('\n', p);
    if (end < 0) return -1;
    if (comma < 0 || end < comma) return end;
    p = comma + 1;
  }
}

/**
 * Splits a byte stream into CSV records, decoding UTF-8 across chunk boundaries (invalid bytes
 * become U+FFFD, which the event conversion reports). Memory: one chunk plus one partial record.
 */
export class RecordSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private carry = '';
  private row = 0;
  private started = false;

  /** Feeds one chunk; calls `emit` for every record it completes. A leading UTF-8 BOM is dropped. */
  push(chunk: Buffer | Uint8Array, emit: (record: RecordText) => void): void {
    let text = this.carry + this.decoder.write(chunk as Buffer);
    if (!this.started && text.length) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    // The next quote is searched once and reused, so unquoted records cost one native LF search.
    let quote = text.indexOf('"');
    for (;;) {
      const lf = text.indexOf('\n', start);
      if (quote >= 0 && quote < start) quote = text.indexOf('"', start);
      const end = quote < 0 || (lf >= 0 && quote > lf) ? lf : quotedRecordEnd(text, start);
      if (end < 0) break;
      const last = end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
      emit({ row: ++this.row, text: text.slice(start, last) });
      start = end + 1;
    }
    this.carry = start ? text.slice(start) : text;
    if (this.carry.length > MAX_RECORD_CHARS) throw new RecordTooLongError(this.row + 1);
  }

  /** Flushes a last record that has no trailing line break. */
  end(emit: (record: RecordText) => void): void {
    let rest = this.carry + this.decoder.end();
    if (!this.started && rest.charCodeAt(0) === 0xfeff) rest = rest.slice(1);
    this.started = true;
    this.carry = '';
    if (rest.length) emit({ row: ++this.row, text: rest.replace(/\r$/, '') });
  }

  /** Records emitted so far. */
  get records(): number {
    return this.row;
  }
}

/**
 * The fields of one record (RFC 4180: `""` inside quotes is a quote). Quotes are relaxed as
 * csv-parse's relax_quotes reads them: a quote inside an unquoted field is literal, and a quoted
 * field followed by more text before the comma (`"a"b`) is kept as written, quotes included.
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
    else if (end > p) value = record.slice(start, end); // text after the closing quote: keep the field as written
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
