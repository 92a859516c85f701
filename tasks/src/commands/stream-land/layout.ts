import { checkEvent } from '../../events/check-event';

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
 * Splits one partition batch into one object per (dataset, order date); invalid messages are kept
 * apart with the reason. A canonical event's line is its message bytes up to the closing brace
 * plus `,"kafka":{...}}` (the bytes JSON.stringify({...event, kafka}) gives, without re-serialising
 * or copying each line); other valid events are re-serialised from zod's output. Pure, so the
 * layout is unit-tested.
 */
export function splitBatch(
  topic: string,
  partition: number,
  messages: { offset: string; value: Buffer | null }[],
): Split {
  const first = messages[0]!.offset;
  const objects = new Map<string, LandedObject>();
  const rejected: string[] = [];
  const perDate = new Map<string, number>();
  const position = (offset: string) =>
    Buffer.from(`,"kafka":{"topic":${JSON.stringify(topic)},"partition":${partition},"offset":"${offset}"}}\n`);
  for (const m of messages) {
    const value = m.value ?? Buffer.alloc(0);
    const checked = checkEvent(value.toString('utf8'));
    if (!checked.ok) {
      const text = value.toString('utf8', 0, Math.min(value.length, 8192));
      rejected.push(JSON.stringify({ topic, partition, offset: m.offset, reason: checked.reason, value: text }));
      continue;
    }
    const e = checked.event;
    const key = bronzeKey(e.dataset, e.order_date, topic, partition, first);
    let object = objects.get(key);
    if (!object) {
      object = { key, parts: [], lines: 0 };
      objects.set(key, object);
    }
    const json = checked.canonical ? value : Buffer.from(JSON.stringify(e));
    object.parts.push(json.subarray(0, json.lastIndexOf(CLOSE_BRACE)), position(m.offset));
    object.lines++;
    const dateKey = `${e.dataset}/${e.order_date}`;
    perDate.set(dateKey, (perDate.get(dateKey) ?? 0) + 1);
  }
  return { objects, rejected, perDate };
}
