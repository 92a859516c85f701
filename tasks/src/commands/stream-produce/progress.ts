import type { Admin } from 'kafkajs';
import { withRetry } from '../../retry';
import type { Progress } from './publisher';
import type { DayCounts } from './replay';
import type { Resume } from './transactions';

/**
 * Exactly once from raw file to topic (docs/ingest.md). Every transaction of stream-produce also
 * commits, in the same transaction, an offset of a consumer group named for the (dataset, day,
 * raw content) it publishes: the offset is how many of the day's records (in source order) the
 * committed transactions cover, its metadata their counts. Kafka commits both or neither, so a
 * re-run after a crash or an outage at any moment resumes at the first record not yet committed.
 * No consumer ever joins these groups; the offset is only a record of progress.
 */

/** The broker aborts a transaction left open this long (a producer that died mid-transaction). */
export const TRANSACTION_TIMEOUT_MS = 60_000;

/** Offset metadata is limited by the broker (offset.metadata.max.bytes, 4096 by default). */
const MAX_METADATA = 3_000;

/**
 * The producer's transactional id, the same for a re-run of the same replay: its InitProducerId
 * fences a producer of the earlier run that is still alive and aborts that run's open transaction.
 */
export function transactionalId(dataset: string, firstDay: string): string {
  return `sales-pipeline.stream-produce.${dataset}.${firstDay}`;
}

/** The consumer group whose committed offset records a (dataset, day, raw content)'s progress. */
export function progressGroup(dataset: string, day: string, content: string): string {
  return `sales-pipeline.stream-produce.progress.${dataset}.${day}.${content}`;
}

/** The progress record a transaction commits: `records` of the day done, with their counts. */
export function progressRecord(group: string, topic: string, records: number, counts: DayCounts): Progress {
  let reasons = counts.reasons ?? {};
  let metadata = JSON.stringify({ events: counts.events, deadLettered: counts.deadLettered, reasons });
  if (metadata.length > MAX_METADATA) {
    // Keep the most frequent reasons; the counts themselves are always exact.
    const top = Object.entries(reasons).sort((a, b) => b[1] - a[1]);
    reasons = Object.fromEntries(top.slice(0, 20).map(([k, n]) => [k.slice(0, 100), n]));
    metadata = JSON.stringify({ events: counts.events, deadLettered: counts.deadLettered, reasons, cut: true });
  }
  return { group, topic, offset: records, metadata };
}

/** What the committed transactions of a (source, day) covered, or undefined when none committed. */
export function parseProgress(offset: string, metadata: string | null): Resume | undefined {
  const records = Number(offset);
  if (!(records > 0)) return undefined;
  const m = JSON.parse(metadata || '{}') as Partial<DayCounts>;
  return { records, counts: { events: m.events ?? 0, deadLettered: m.deadLettered ?? 0, reasons: m.reasons ?? {} } };
}

/** Kafka's retriable answers (e.g. NOT_COORDINATOR while a fresh broker loads its offsets topic). */
export const kafkaRetriable = (e: unknown) => (e as { retriable?: unknown } | null)?.retriable === true;

/**
 * Reads a (source, day)'s committed progress from its group. A broker that has just created its
 * offsets topic answers "not the coordinator" for a few seconds: that is retried, not a crash.
 */
export async function readProgress(admin: Admin, group: string, topic: string): Promise<Resume | undefined> {
  const fetch = () => admin.fetchOffsets({ groupId: group, topics: [topic] });
  const [entry] = await withRetry(fetch, {
    attempts: 8,
    initialDelayMs: 250,
    maxDelayMs: 4_000,
    isRetriable: kafkaRetriable,
  });
  const p = entry?.partitions.find((x) => x.partition === 0);
  return p ? parseProgress(p.offset, p.metadata) : undefined;
}
