import { OrderLineEvent } from '../../events/order-line';

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

export interface LandedLine {
  key: string;
  /** NDJSON lines: the event plus its Kafka position. */
  lines: string[];
}

export interface Split {
  objects: Map<string, LandedLine>;
  rejected: string[];
  perDate: Map<string, number>;
}

/**
 * Splits one partition batch into one object per (dataset, order date); invalid messages are kept
 * apart with the reason. Pure, so the layout is unit-tested.
 */
export function splitBatch(
  topic: string,
  partition: number,
  messages: { offset: string; value: Buffer | null }[],
): Split {
  const first = messages[0]!.offset;
  const objects = new Map<string, LandedLine>();
  const rejected: string[] = [];
  const perDate = new Map<string, number>();
  for (const m of messages) {
    const text = m.value?.toString('utf8') ?? '';
    let parsed: ReturnType<typeof OrderLineEvent.safeParse> | undefined;
    try {
      parsed = OrderLineEvent.safeParse(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      const reason = parsed ? (parsed.error.issues[0]?.message ?? 'invalid') : 'not JSON';
      rejected.push(JSON.stringify({ topic, partition, offset: m.offset, reason, value: text.slice(0, 8192) }));
      continue;
    }
    const e = parsed.data;
    const key = bronzeKey(e.dataset, e.order_date, topic, partition, first);
    const object = objects.get(key) ?? { key, lines: [] };
    object.lines.push(JSON.stringify({ ...e, kafka: { topic, partition, offset: m.offset } }));
    objects.set(key, object);
    const dateKey = `${e.dataset}/${e.order_date}`;
    perDate.set(dateKey, (perDate.get(dateKey) ?? 0) + 1);
  }
  return { objects, rejected, perDate };
}
