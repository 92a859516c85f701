import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { listObjects } from '../clients/s3';

/**
 * The produced markers stream-produce leaves per (dataset, day, raw content): what one raw
 * content published for one day. Later steps read them to say why a day has no rows.
 */
export interface ProducedCounts {
  events: number;
  deadLettered: number;
  /** Dead letters per reason (markers written before reasons were recorded have none). */
  reasons?: Record<string, number>;
}

export const producedPrefix = (dataset: string, day: string) =>
  `runs/stream-produce/produced/dataset=${dataset}/dt=${day}/`;

/** Marks that a day of one raw content was fully produced, so a re-run does not publish it twice. */
export function producedMarkerKey(dataset: string, day: string, content: string): string {
  return `${producedPrefix(dataset, day)}${content}.json`;
}

/** Adds `b`'s reason counts into `a`. */
export function addReasons(a: Record<string, number>, b: Record<string, number> | undefined): Record<string, number> {
  for (const [k, n] of Object.entries(b ?? {})) a[k] = (a[k] ?? 0) + n;
  return a;
}

/** The sum of some counts of a day (several sources' markers, or parts of a day). */
export function sumProduced(parts: readonly ProducedCounts[]): Required<ProducedCounts> {
  const total: Required<ProducedCounts> = { events: 0, deadLettered: 0, reasons: {} };
  for (const m of parts) {
    total.events += m.events;
    total.deadLettered += m.deadLettered;
    addReasons(total.reasons, m.reasons);
  }
  return total;
}

/** `reason n, reason n` for the most frequent few reasons, most frequent first. */
export function topReasons(reasons: Record<string, number> | undefined, few = 3): string {
  const sorted = Object.entries(reasons ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = sorted.slice(0, few).map(([k, n]) => `${k} ${n}`);
  if (sorted.length > few) shown.push(`${sorted.length - few} more reason(s)`);
  return shown.join(', ');
}

/** One marker's counts. */
export async function readMarker(s3: S3Client, bucket: string, key: string): Promise<ProducedCounts> {
  const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
  const m = JSON.parse(body) as Partial<ProducedCounts>;
  return { events: m.events ?? 0, deadLettered: m.deadLettered ?? 0, reasons: m.reasons ?? {} };
}

/** The sum of every marker of a day; undefined when stream-produce left none. */
export async function producedDay(
  s3: S3Client,
  bucket: string,
  dataset: string,
  day: string,
): Promise<ProducedCounts | undefined> {
  const objects = await listObjects(s3, bucket, producedPrefix(dataset, day));
  if (!objects.length) return undefined;
  const markers: ProducedCounts[] = [];
  for (const { key } of objects) markers.push(await readMarker(s3, bucket, key));
  return sumProduced(markers);
}
