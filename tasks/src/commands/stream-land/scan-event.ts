import { FIELD_OF, ORDER_LINE_SCHEMA, type OrderLine } from '../../events/order-line';
import { sameBytes } from '../../events/event-bytes';
import { DATASET_ID } from '../../source/dataset';

/** Where a canonical event lands: its dataset and order date. */
export interface Routing {
  dataset: string;
  orderDate: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ZERO = 0x30;
const NINE = 0x39;
const DASH = 0x2d;
const DOT = 0x2e;

const ascii = (s: string) => Buffer.from(s, 'latin1');
const HEAD = ascii(`{"schema":${JSON.stringify(ORDER_LINE_SCHEMA)},"dataset":"`);
const URI = ascii('","source":{"uri":"');
const ROW = ascii('","row":');
const ORDER_DATE = ascii('},"order_date":"');
const LINE = ascii('","line":{');
const END = ascii('}}');

type Kind = 'text' | 'required' | 'qty' | 'amount';
const LINE_FIELDS = Object.values(FIELD_OF).map((key: keyof OrderLine, i) => ({
  prefix: ascii(`${i ? ',' : ''}"${key}":`),
  kind: (key === 'qty'
    ? 'qty'
    : key === 'amount'
      ? 'amount'
      : key === 'order_id' || key === 'date'
        ? 'required'
        : 'text') as Kind,
}));

/** The offset after `expected` if `b` holds it at `at`, else -1. */
function literal(b: Buffer, at: number, expected: Buffer): number {
  if (at + expected.length > b.length) return -1;
  for (let i = 0; i < expected.length; i++) if (b[at + i] !== expected[i]) return -1;
  return at + expected.length;
}

/** The offset after `null` at `at`, else -1. */
const nullAt = (b: Buffer, at: number) =>
  b[at] === 0x6e && b[at + 1] === 0x75 && b[at + 2] === 0x6c && b[at + 3] === 0x6c ? at + 4 : -1;

/**
 * The offset after a non-empty string at `at` that holds no escape and no control character, else
 * -1. Without escapes, the string ends at its next quote, and its text is its bytes.
 */
function string(b: Buffer, at: number): number {
  if (b[at] !== QUOTE) return -1;
  let i = at + 1;
  // JSON.stringify writes quotes, backslashes and control characters inside strings as escapes.
  while (i < b.length && !STOP[b[i]!]) i++;
  return i < b.length && b[i] === QUOTE && i > at + 1 ? i + 1 : -1;
}

/** Bytes that end a plain string's scan: a quote, a backslash or a control character. */
const STOP = new Uint8Array(256).map((_, c) => (c < 0x20 || c === QUOTE || c === BACKSLASH ? 1 : 0));

/** The offset after a whole number without sign or leading zero that is a safe integer, else -1. */
function whole(b: Buffer, at: number, positive: boolean): number {
  let i = at;
  let value = 0;
  while (i < b.length && b[i]! >= ZERO && b[i]! <= NINE) value = value * 10 + (b[i++]! - ZERO);
  const digits = i - at;
  if (!digits || digits > 16 || !Number.isSafeInteger(value) || (b[at] === ZERO && (digits > 1 || positive))) return -1;
  return i;
}

/** True when `b[from..to)` is `-?\d+(\.\d+)?`, the schema's amount pattern. */
function decimal(b: Buffer, from: number, to: number): boolean {
  let i = b[from] === DASH ? from + 1 : from;
  const intStart = i;
  while (i < to && b[i]! >= ZERO && b[i]! <= NINE) i++;
  if (i === intStart) return false;
  if (i === to) return true;
  if (b[i++] !== DOT || i === to) return false;
  while (i < to && b[i]! >= ZERO && b[i]! <= NINE) i++;
  return i === to;
}

const realDays = new Set<string>();
function realDay(text: string): boolean {
  if (realDays.has(text)) return true;
  const d = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text) return false;
  // Real days are few (36,525 a century): remembering them keeps Date off the hot path.
  realDays.add(text);
  return true;
}

function isoDate(b: Buffer, at: number): string | null {
  for (let i = 0; i < 10; i++) {
    const c = b[at + i];
    if (c === undefined || (i === 4 || i === 7 ? c !== DASH : c < ZERO || c > NINE)) return null;
  }
  const text = b.toString('latin1', at, at + 10);
  return realDay(text) ? text : null;
}

/**
 * Recognises, straight from the bytes, a message that is an order-line event exactly as our
 * producer writes it (JSON.stringify of the schema's keys in order, no escapes), and returns where
 * it lands. Null means "not recognised": the caller then parses it fully (checkEvent), so this may
 * refuse valid events (any escape, a number written as 1e3) but never accept one that
 * `isCanonicalEvent(JSON.parse(text))` would not: unit tests hold it to that on the sample and on
 * broken variants. Exists because JSON.parse of every message was the lander's largest cost.
 */
export function scanEvent(b: Buffer): Routing | null {
  let at = literal(b, 0, HEAD);
  const datasetEnd = at < 0 ? -1 : string(b, at - 1);
  if (datasetEnd < 0) return null;
  // Consecutive events mostly share dataset and date: their text and checks are reused.
  let dataset = last.dataset;
  if (!sameAs(b, at, datasetEnd - 1, last.datasetBytes)) {
    dataset = b.toString('utf8', at, datasetEnd - 1);
    // The dataset becomes a lake key (`dataset=<id>/`): anything off the rule takes the full check.
    if (!DATASET_ID.test(dataset)) return null;
  }
  at = literal(b, datasetEnd - 1, URI);
  if (at < 0 || (at = string(b, at - 1)) < 0) return null;
  if ((at = literal(b, at - 1, ROW)) < 0 || (at = whole(b, at, true)) < 0) return null;
  if ((at = literal(b, at, ORDER_DATE)) < 0) return null;
  const dateAt = at;
  const orderDate = sameAs(b, at, at + 10, last.dateBytes) ? last.orderDate : isoDate(b, at);
  if (!orderDate || (at = literal(b, at + 10, LINE)) < 0) return null;
  for (const { prefix, kind } of LINE_FIELDS) {
    if ((at = literal(b, at, prefix)) < 0) return null;
    const start = at;
    if (kind !== 'required' && (at = nullAt(b, start)) > 0) continue;
    if (kind === 'qty') at = whole(b, start, false);
    else if ((at = string(b, start)) > 0 && kind === 'amount' && !decimal(b, start + 1, at - 1)) at = -1;
    if (at < 0) return null;
  }
  if (literal(b, at, END) !== b.length) return null;
  if (dataset !== last.dataset || orderDate !== last.orderDate) {
    const datasetBytes = Buffer.from(b.subarray(HEAD.length, datasetEnd - 1));
    last = { dataset, orderDate, datasetBytes, dateBytes: Buffer.from(b.subarray(dateAt, dateAt + 10)) };
    last.routing = { dataset, orderDate };
  }
  return last.routing!;
}

/** The last recognised event's dataset and order date, as text and bytes, and its routing. */
let last: { dataset: string; orderDate: string; datasetBytes: Buffer; dateBytes: Buffer; routing?: Routing } = {
  dataset: '',
  orderDate: '',
  datasetBytes: Buffer.alloc(0),
  dateBytes: Buffer.alloc(0),
};

/** True when `b[from, to)` holds exactly `bytes` (never for an empty `bytes`). */
const sameAs = (b: Buffer, from: number, to: number, bytes: Buffer) =>
  bytes.length > 0 && to - from === bytes.length && sameBytes(b, from, bytes);
