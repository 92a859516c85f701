import { checkEvent } from '../../events/check-event';
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

/** One bronze object being assembled: its NDJSON body as byte slices (no per-line string copies). */
export interface LandedObject {
  key: string;
  /** Slices of the message values and the appended Kafka positions; concatenated they are the body. */
  parts: Buffer[];
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
  return Buffer.concat(object.parts);
}

const CLOSE_BRACE = 0x7d;

/**
 * The `,"kafka":{...}}` + newline endings of a batch's lines, written into one buffer: one view per
 * line instead of one small buffer per line. Topic names are ASCII (Kafka's rule), offsets digits.
 */
function positions(topic: string, partition: number, offsets: string[]): Buffer[] {
  const head = `,"kafka":{"topic":${JSON.stringify(topic)},"partition":${partition},"offset":"`;
  const all = Buffer.allocUnsafe(offsets.reduce((n, o) => n + head.length + o.length + 4, 0));
  const views = new Array<Buffer>(offsets.length);
  let at = 0;
  for (let i = 0; i < offsets.length; i++) {
    const start = at;
    at += all.write(head, at, 'latin1');
    at += all.write(offsets[i]!, at, 'latin1');
    at += all.write('"}}\n', at, 'latin1');
    views[i] = all.subarray(start, at);
  }
  return views;
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
  const objects = new Map<string, LandedObject>();
  const rejected: string[] = [];
  let object: LandedObject | undefined;
  let dataset = '';
  let orderDate = '';
  const ends = positions(
    topic,
    partition,
    messages.map((m) => m.offset),
  );
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const value = m.value ?? Buffer.alloc(0);
    let route = scanEvent(value);
    let json = value;
    if (!route) {
      const checked = checkEvent(value.toString('utf8'));
      if (!checked.ok) {
        const text = value.toString('utf8', 0, Math.min(value.length, 8192));
        rejected.push(JSON.stringify({ topic, partition, offset: m.offset, reason: checked.reason, value: text }));
        continue;
      }
      route = { dataset: checked.event.dataset, orderDate: checked.event.order_date };
      if (!checked.canonical) json = Buffer.from(JSON.stringify(checked.event));
    }
    // Consecutive lines mostly share their date: look the object up only when it changes.
    if (!object || route.dataset !== dataset || route.orderDate !== orderDate) {
      ({ dataset, orderDate } = route);
      const key = bronzeKey(dataset, orderDate, topic, partition, first);
      object = objects.get(key);
      if (!object) {
        object = { key, parts: [], lines: 0, date: `${dataset}/${orderDate}` };
        objects.set(key, object);
      }
    }
    object.parts.push(json.subarray(0, json.lastIndexOf(CLOSE_BRACE)), ends[i]!);
    object.lines++;
  }
  const perDate = new Map<string, number>();
  for (const o of objects.values()) perDate.set(o.date, (perDate.get(o.date) ?? 0) + o.lines);
  return { objects, rejected, perDate };
}
