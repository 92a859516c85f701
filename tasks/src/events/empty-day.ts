import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { listObjects } from '../clients/s3';
import { producedDay, topReasons } from './produced';

const lake = (layer: string, dataset: string, day: string) => `lake/${layer}/order_lines/dataset=${dataset}/dt=${day}/`;

/** What a silver manifest says about a day, read loosely (only the counts that explain it). */
interface SilverCounts {
  bronze_rows?: number;
  silver_rows?: number;
  quarantined_rows?: number;
  duplicate_rows?: number;
  quarantine_rules?: Record<string, number>;
}

async function silverCounts(s3: S3Client, bucket: string, dataset: string, day: string) {
  try {
    const key = `${lake('silver', dataset, day)}_manifest.json`;
    const text = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
    return JSON.parse(text) as SilverCounts;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** The quarantine part of an explanation: counts and top rules of a manifest. */
export function quarantineCause(m: SilverCounts): string {
  const rules = topReasons(m.quarantine_rules);
  return (
    `glue-transform quarantined ${m.quarantined_rows ?? 0} of ${m.bronze_rows ?? 0} bronze rows` +
    `${rules ? ` (${rules})` : ''} and dropped ${m.duplicate_rows ?? 0} duplicates`
  );
}

/**
 * Why a day has no rows in a layer, from what the steps before it left behind, with the one
 * action that can help. `layer` is the layer found empty: `bronze` (glue-transform) or `silver`
 * (warehouse-load). Never advises a step that cannot produce the day.
 */
export async function whyEmpty(
  s3: S3Client,
  bucket: string,
  dataset: string,
  day: string,
  layer: 'bronze' | 'silver',
): Promise<string> {
  if (layer === 'silver') {
    const m = await silverCounts(s3, bucket, dataset, day);
    if (m) {
      return `${quarantineCause(m)}, leaving ${m.silver_rows ?? 0} silver rows: correct the source rows (the quarantine says why each was refused), then re-run ingest-raw and the steps after it`;
    }
    const bronze = await listObjects(s3, bucket, lake('bronze', dataset, day));
    if (bronze.length)
      return `bronze has ${bronze.length} object(s) but glue-transform has not published the day: run glue-transform --dt ${day}`;
  }
  const produced = await producedDay(s3, bucket, dataset, day);
  if (!produced) {
    return `no source row is dated ${day} (stream-produce marks only days that have rows) or stream-produce has not run for it: check the source file's dates, or run stream-produce --dt ${day}`;
  }
  if (produced.events === 0) {
    const reasons = topReasons(produced.reasons);
    return `stream-produce dead-lettered all ${produced.deadLettered} rows dated ${day}${reasons ? ` (${reasons})` : ''}: correct the source file, then re-run ingest-raw and stream-produce --force`;
  }
  return `stream-produce published ${produced.events} events (${produced.deadLettered} dead-lettered) but no bronze landed: run stream-land`;
}
