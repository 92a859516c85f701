import { isUtf8 } from 'node:buffer';
import type { EncodedRecord } from '../kafka/batch-builder';
import { SOURCE_COLUMNS } from '../source/columns';
import { FIELD_OF, ORDER_LINE_SCHEMA } from './order-line';
import { parseSourceDate } from './to-event';

const QUOTE = 0x22;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;
const ZERO = 0x30;
const NINE = 0x39;
const FIELDS = SOURCE_COLUMNS.length;
/** Records longer than this take the full path (which measures each field against MAX_FIELD_BYTES). */
const MAX_FAST_RECORD = 60_000;
const REPLACEMENT = Buffer.from('\uFFFD');
const EMPTY = new Uint8Array(0);

const at = (column: (typeof SOURCE_COLUMNS)[number]) => SOURCE_COLUMNS.indexOf(column);
const ORDER_ID = at('Order ID');
const DATE = at('Date');
const QTY = at('Qty');
const AMOUNT = at('Amount');
/** `"index":`, `,"order_id":`, … in source order: the line's keys as toEvent writes them. */
const NAMES = SOURCE_COLUMNS.map((c, i) => Buffer.from(`${i ? ',' : ''}${JSON.stringify(FIELD_OF[c])}:`, 'latin1'));
const NULL = Buffer.from('null');

/** Copies src[s..e) to dst at `to`; a JavaScript loop beats a native call for these short runs. */
function put(dst: Buffer, to: number, src: Uint8Array, s: number, e: number): number {
  for (let i = s; i < e; i++) dst[to++] = src[i]!;
  return to;
}

/** True when `a[at, at + b.length)` holds `b`'s bytes (a loop: short runs, no native call). */
export function sameBytes(a: Uint8Array, at: number, b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (a[at + i] !== b[i]) return false;
  return true;
}

/** Decimal digits of a non-negative integer below 2^32. */
function putUint(dst: Buffer, to: number, n: number): number {
  const digits = n < 10 ? 1 : Math.floor(Math.log10(n)) + 1;
  for (let i = to + digits - 1; i >= to; i--) {
    dst[i] = ZERO + (n % 10);
    n = Math.floor(n / 10);
  }
  return to + digits;
}

const isDigit = (b: number) => b >= ZERO && b <= NINE;

/**
 * The order-line event of one source record, written as UTF-8 bytes straight from the record's
 * bytes: the same bytes as `JSON.stringify(toEvent(splitFields(text), …).event)` (a unit test
 * holds it to that on every sample row and on random edits), without the 24 field strings, the
 * event object or the JSON string. It only takes the plain case: fields unquoted, or quoted
 * without `""` inside; no backslash, control character or U+FFFD; a valid date, Qty and Amount.
 * Anything else returns -1 and goes the full way (toEvent, with its rejection reasons).
 * After a successful `encode`, the encoder is the record's EncodedRecord: `bytes[0, valueLength)`
 * is the event and `bytes[valueLength, valueLength + headersLength)` the record's encoded Kafka
 * headers (source-uri, source-row, run-id, as the full path sends them); the key is
 * `key[keyStart, keyEnd)`, in the record's own bytes.
 */
export class EventEncoder implements EncodedRecord {
  readonly bytes = Buffer.allocUnsafe(MAX_FAST_RECORD * 2);
  /** The last record's source bytes, which hold its key. */
  key: Uint8Array = EMPTY;
  keyStart = 0;
  keyEnd = 0;
  valueLength = 0;
  headersLength = 0;
  private readonly head: Buffer;
  private readonly headersBefore: Buffer;
  private readonly headersAfter: Buffer;
  private readonly starts = new Int32Array(FIELDS);
  private readonly ends = new Int32Array(FIELDS);
  private lastDate = Buffer.alloc(0);
  private lastIso = Buffer.alloc(0);

  constructor(dataset: string, uri: string, runId: string) {
    const source = `{"schema":${JSON.stringify(ORDER_LINE_SCHEMA)},"dataset":${JSON.stringify(dataset)}`;
    this.head = Buffer.from(`${source},"source":{"uri":${JSON.stringify(uri)},"row":`);
    const entry = (key: string, value?: string) => {
      const k = Buffer.from(key);
      const v = value === undefined ? Buffer.alloc(0) : Buffer.from(value);
      return Buffer.concat([varint(k.length), k, ...(value === undefined ? [] : [varint(v.length), v])]);
    };
    this.headersBefore = Buffer.concat([varint(3), entry('source-uri', uri), entry('source-row')]);
    this.headersAfter = entry('run-id', runId);
  }

  /**
   * The ISO date bytes of a record's `MM-DD-YY` field, or null. A raw file comes mostly day by day,
   * so the last answer is kept and reused while the field's bytes are the same.
   */
  private isoDate(src: Buffer, s: number, e: number): Buffer | null {
    const last = this.lastDate;
    if (e - s === 8 && last.length === 8 && sameBytes(src, s, last)) return this.lastIso;
    const iso = dateOf(src, s, e);
    if (iso === null) return null;
    this.lastDate = Buffer.from(src.subarray(s, e));
    this.lastIso = Buffer.from(iso, 'latin1');
    return this.lastIso;
  }

  /** Writes the event of record `row` (bytes `start..end` of `src`, line break excluded); -1 = not the plain case. */
  encode(src: Buffer, start: number, end: number, row: number): number {
    if (end - start > MAX_FAST_RECORD) return -1;
    const { starts, ends } = this;
    const out = this.bytes;
    // One pass: each field's bytes are checked and copied as they are read. The order date comes
    // before the line but is known after its field: 10 bytes are left for it.
    let to = this.head.copy(out, 0);
    to = putUint(out, to, row);
    to = put(out, to, CLOSE_ORDER_DATE, 0, CLOSE_ORDER_DATE.length);
    const isoAt = to;
    to = put(out, to + ISO_LENGTH, OPEN_LINE, 0, OPEN_LINE.length);
    let field = 0;
    let wide = false;
    let p = start;
    for (;;) {
      if (field === FIELDS) return -1;
      const name = NAMES[field]!;
      to = put(out, to, name, 0, name.length);
      const quoted = p < end && src[p] === QUOTE;
      if (quoted) p++;
      const s = p;
      if (field === QTY) {
        // A number: checked and written after its field (putQty).
        while (p < end && src[p] !== COMMA && src[p] !== QUOTE) p++;
      } else {
        out[to++] = QUOTE;
        for (; p < end; p++) {
          const b = src[p]!;
          const kind = KIND[b]!;
          if (kind === PLAIN) out[to++] = b;
          else if (kind === COMMA_KIND && quoted) out[to++] = b;
          else if (kind === WIDE) {
            wide = true;
            out[to++] = b;
          } else break;
        }
        out[to++] = QUOTE;
      }
      const e = p;
      if (quoted) {
        if (p >= end || src[p] !== QUOTE) return -1; // unterminated, or a control character or backslash inside
        p++;
      }
      if (p < end && src[p] !== COMMA) return -1; // `""` inside, text after the closing quote, a stray quote or a bad byte
      starts[field] = s;
      ends[field] = e;
      if (s === e) to = put(out, field === QTY ? to : to - 2, NULL, 0, 4);
      else if (field === QTY) to = putQty(out, to, src, s, e);
      field++;
      if (p >= end) break;
      p++; // the comma
      if (p === end) {
        if (field === FIELDS) return -1;
        // A trailing comma: an empty last field.
        const last = NAMES[field]!;
        to = put(out, to, last, 0, last.length);
        to = put(out, to, NULL, 0, 4);
        starts[field] = ends[field] = end;
        field++;
        break;
      }
    }
    if (field !== FIELDS) return -1;
    if (wide) {
      const record = src.subarray(start, end);
      if (!isUtf8(record) || record.includes(REPLACEMENT)) return -1;
    }
    if (ends[ORDER_ID]! === starts[ORDER_ID]!) return -1;
    const iso = this.isoDate(src, starts[DATE]!, ends[DATE]!);
    if (iso === null) return -1;
    if (!isWhole(src, starts[QTY]!, ends[QTY]!) || !isDecimal(src, starts[AMOUNT]!, ends[AMOUNT]!)) return -1;
    put(out, isoAt, iso, 0, ISO_LENGTH);
    out[to++] = 0x7d;
    out[to++] = 0x7d;
    const valueLength = to;
    to += this.headersBefore.copy(out, to);
    const digits = putUint(out, to + 1, row) - (to + 1);
    out[to] = digits << 1; // the zigzag varint of a length below 64
    to += 1 + digits;
    to = put(out, to, this.headersAfter, 0, this.headersAfter.length);
    this.headersLength = to - valueLength;
    this.key = src;
    this.keyStart = starts[ORDER_ID]!;
    this.keyEnd = ends[ORDER_ID]!;
    this.valueLength = valueLength;
    return valueLength;
  }
}

/** `YYYY-MM-DD`. */
const ISO_LENGTH = 10;
/** What a byte is inside a field: plain, a comma, a quote, not for the plain case (control, backslash), or part of a multi-byte character. */
const PLAIN = 0;
const COMMA_KIND = 1;
const QUOTE_KIND = 2;
const REFUSED = 3;
const WIDE = 4;
const KIND = new Uint8Array(256).map((_, b) =>
  b >= 0x80
    ? WIDE
    : b === COMMA
      ? COMMA_KIND
      : b === QUOTE
        ? QUOTE_KIND
        : b < 0x20 || b === BACKSLASH
          ? REFUSED
          : PLAIN,
);

const CLOSE_ORDER_DATE = Buffer.from('},"order_date":"');
const OPEN_LINE = Buffer.from('","line":{');

/** Zigzag varint of a small non-negative number (header lengths and counts). */
function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n * 2;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** The ISO order date of `MM-DD-YY` bytes, or null (empty, malformed or not a calendar day). */
function dateOf(src: Buffer, s: number, e: number): string | null {
  if (e - s !== 8) return null;
  return parseSourceDate(src.toString('latin1', s, e));
}

/** Empty, or digits only (`WHOLE` of toEvent). */
function isWhole(src: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (!isDigit(src[i]!)) return false;
  return true;
}

/** Empty, or `-?\d+(\.\d+)?` (`DECIMAL` of toEvent). */
function isDecimal(src: Buffer, s: number, e: number): boolean {
  if (s === e) return true;
  let i = src[s] === 0x2d ? s + 1 : s;
  const intStart = i;
  while (i < e && isDigit(src[i]!)) i++;
  if (i === intStart) return false;
  if (i === e) return true;
  if (src[i] !== 0x2e) return false;
  const fracStart = ++i;
  while (i < e && isDigit(src[i]!)) i++;
  return i === e && i > fracStart;
}

/** Qty as JSON writes `Number(text)`: the digits without leading zeros (or Number's own text when long). */
function putQty(out: Buffer, to: number, src: Buffer, s: number, e: number): number {
  if (e - s === 1) {
    out[to] = src[s]!;
    return to + 1;
  }
  if (src[s] !== ZERO && e - s <= 15) return put(out, to, src, s, e);
  return to + out.write(String(Number(src.toString('latin1', s, e))), to, 'latin1');
}
