import { checkEvent } from '../../events/check-event';
import { valueSpan, type ValueSpan } from '../../kafka/record-batch-decode';
import { scanEvent } from './scan-event';

/** Zero-padded so keys sort by offset. */
const pad = (offset: string) => offset.padStart(20, '0');

export const BRONZE_PREFIX = 'lake/bronze/order_lines/';

/** A batch's object in one date partition: named by topic, partition and first offset. */
export function bronzeKey(dataset: string, dt: string, topic: string, partition: number, firstOffset: string): string {
  return `${BRONZE_PREFIX}dataset=${dataset}/dt=${dt}/part-${topic}-${partition}-${pad(firstOffset)}.ndjson`;
}

/** The write-ahead record of a batch: the keys it is about to write, so a redelivery can clean up. */
export function batchManifestKey(topic: string, partition: number, firstOffset: string): string {
  return `${BRONZE_PREFIX}_batches/${topic}/${partition}/${pad(firstOffset)}.json`;
}

/** Messages that are not valid events land here with their reason, never dropped. */
export function rejectedKey(topic: string, partition: number, firstOffset: string): string {
  return `${BRONZE_PREFIX}_rejected/${topic}/${partition}/${pad(firstOffset)}.ndjson`;
}

/** One bronze object of a batch: its NDJSON body, written once (each line copied from its message once). */
export interface LandedObject {
  key: string;
  body: Buffer;
  lines: number;
  /** `<dataset>/<order date>`, the key of the run's per-date counts. */
  date: string;
}

export interface Split {
  objects: Map<string, LandedObject>;
  rejected: string[];
  perDate: Map<string, number>;
}

/** The NDJSON body of an object: every line ends with a newline. */
export function objectBody(object: LandedObject): Buffer {
  return object.body;
}

/** An object while its batch is split: its body's size (pass 1), then where its next line goes (pass 2). */
type Assembling = LandedObject & { size: number; at: number };

const CLOSE_BRACE = 0x7d;
const EMPTY = Buffer.alloc(0);

/** End of a line's JSON object in `b[start, end)`: the index of its last closing brace (-1 when none). */
function closingBrace(b: Buffer, start: number, end: number): number {
  let i = end - 1;
  while (i >= start && b[i] !== CLOSE_BRACE) i--;
  return i;
}

/**
 * Splits one partition batch into one object per (dataset, order date); invalid messages are kept
 * apart with the reason. A canonical event's line is its message bytes up to the closing brace
 * plus `,"kafka":{...}}` (the bytes JSON.stringify({...event, kafka}) gives, without re-serialising
 * or copying each line); other valid events are re-serialised from zod's output. Events as our
 * producer writes them are recognised from their bytes (scanEvent); anything else is parsed and
 * checked in full (checkEvent). Pure, so the layout is unit-tested.
 */
export function splitBatch(
  topic: string,
  partition: number,
  messages: { offset: string; value: Buffer | null }[],
): Split {
  const first = messages[0]!.offset;
  // Pass 1: each message's object and where its line's bytes are; pass 2 writes every object's
  // body in one buffer, without a view or a buffer per line (values are read in place: valueSpan).
  const objects = new Map<string, Assembling>();
  const rejected: string[] = [];
  const ofLine = new Array<Assembling | undefined>(messages.length);
  const lineBuf = new Array<Buffer>(messages.length);
  const lineStart = new Int32Array(messages.length);
  const brace = new Int32Array(messages.length);
  const head = Buffer.from(`,"kafka":{"topic":${JSON.stringify(topic)},"partition":${partition},"offset":"`, 'latin1');
  const TAIL = 4; // `"}}` and the newline
  const span: ValueSpan = { buf: EMPTY, start: 0, end: 0 };
  let object: Assembling | undefined;
  let dataset = '';
  let orderDate = '';
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (!valueSpan(m, span)) {
      span.buf = EMPTY;
      span.start = span.end = 0;
    }
    let { buf, start, end } = span;
    let route = scanEvent(buf, start, end);
    if (!route) {
      const checked = checkEvent(buf.toString('utf8', start, end));
      if (!checked.ok) {
        const text = buf.toString('utf8', start, Math.min(end, start + 8192));
        rejected.push(JSON.stringify({ topic, partition, offset: m.offset, reason: checked.reason, value: text }));
        continue;
      }
      route = { dataset: checked.event.dataset, orderDate: checked.event.order_date };
      if (!checked.canonical) {
        buf = Buffer.from(JSON.stringify(checked.event));
        start = 0;
        end = buf.length;
      }
    }
    // Consecutive lines mostly share their date: look the object up only when it changes.
    if (!object || route.dataset !== dataset || route.orderDate !== orderDate) {
      ({ dataset, orderDate } = route);
      const key = bronzeKey(dataset, orderDate, topic, partition, first);
      object = objects.get(key);
      if (!object) {
        object = { key, body: EMPTY, size: 0, at: 0, lines: 0, date: `${dataset}/${orderDate}` };
        objects.set(key, object);
      }
    }
    ofLine[i] = object;
    lineBuf[i] = buf;
    lineStart[i] = start;
    brace[i] = closingBrace(buf, start, end);
    object.size += brace[i]! - start + head.length + m.offset.length + TAIL;
    object.lines++;
  }
  for (const o of objects.values()) o.body = Buffer.allocUnsafe(o.size);
  for (let i = 0; i < messages.length; i++) {
    const o = ofLine[i];
    if (!o) continue;
    const body = o.body;
    let to = o.at;
    to += lineBuf[i]!.copy(body, to, lineStart[i]!, brace[i]!);
    for (let c = 0; c < head.length; c++) body[to++] = head[c]!;
    // Offsets are decimal digits (kafkajs's strings), so one byte per character.
    const offset = messages[i]!.offset;
    for (let c = 0; c < offset.length; c++) body[to++] = offset.charCodeAt(c);
    body[to++] = 0x22; // "
    body[to++] = CLOSE_BRACE;
    body[to++] = CLOSE_BRACE;
    body[to++] = 0x0a;
    o.at = to;
  }
  const perDate = new Map<string, number>();
  for (const o of objects.values()) perDate.set(o.date, (perDate.get(o.date) ?? 0) + o.lines);
  return { objects, rejected, perDate };
}
