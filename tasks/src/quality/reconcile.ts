import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import path from 'node:path';
import type { Pool } from '../clients/db';
import { listObjects } from '../clients/s3';
import { rawObjects } from '../commands/stream-produce/raw-objects';
import { InputRejectedError } from '../errors';
import { parseSourceDate, toEvent } from '../events/to-event';
import { readRecords, splitFields } from '../source/records';
import { manifestFileName } from '../warehouse/silver/source';
import { parquetColumns } from './readers/parquet';
import { objectStream, s3AsyncBuffer } from './readers/s3-objects';
import { ndjsonBatches } from './readers/text';

/**
 * One row of counts and sums per (dataset, dt), read from every layer, for the reconciliation
 * suite. Amount sums are exact: added as integer cents, reported in rupees. A layer that is not
 * there yet reads as null (its not-null expectation then fails).
 */
export interface LayerFacts {
  dataset: string;
  dt: string;
  source_rows: number | null;
  source_event_amount_sum: number | null;
  produced_rows: number | null;
  topic_events: number | null;
  bronze_rows: number | null;
  bronze_distinct_rows: number | null;
  bronze_amount_sum: number | null;
  manifest_bronze_rows: number | null;
  bronze_accounted_rows: number | null;
  manifest_silver_rows: number | null;
  silver_rows: number | null;
  silver_amount_sum: number | null;
  silver_realised_sum: number | null;
  warehouse_rows: number | null;
  warehouse_amount_sum: number | null;
  warehouse_realised_sum: number | null;
  /** Layers that received rows and passed none on (`bronze->silver: ...`), null when none did. */
  lost_everything: string | null;
}

/**
 * The layer pairs where every row was lost: rows in, none out (all dead-lettered, never landed,
 * all quarantined, never loaded). Counts alone would reconcile (0 = 0), so this says it in words.
 */
export function lostEverything(f: Omit<LayerFacts, 'lost_everything'>): string | null {
  const lost: string[] = [];
  const some = (n: number | null) => n !== null && n > 0;
  const none = (n: number | null) => n === null || n === 0;
  if (some(f.source_rows) && f.topic_events === 0) lost.push(`source->topic: all ${f.source_rows} rows dead-lettered`);
  if (some(f.topic_events) && none(f.bronze_rows)) lost.push(`topic->bronze: ${f.topic_events} events, none landed`);
  if (some(f.bronze_distinct_rows) && f.manifest_silver_rows === 0) {
    lost.push(`bronze->silver: all ${f.bronze_distinct_rows} rows quarantined or duplicates`);
  }
  if (some(f.silver_rows) && f.warehouse_rows === 0) lost.push(`silver->warehouse: ${f.silver_rows} rows, none loaded`);
  return lost.length ? lost.join('; ') : null;
}

const cents = (text: string | null | undefined) => (text ? Math.round(Number(text) * 100) : 0);
const rupees = (c: number) => c / 100;

async function keys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  return (await listObjects(s3, bucket, prefix)).map((o) => o.key);
}

async function json<T>(s3: S3Client, bucket: string, key: string): Promise<T> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await got.Body!.transformToString()) as T;
}

type DayTotals = Map<string, { rows: number; cents: number }>;

/**
 * Rows and event amount (cents) per order date of a dataset's distinct raw objects (the same
 * content ingested on several dates counts once, as stream-produce replays it once), or null when
 * there are none. One pass over the raw CSVs, kept for the life of the process, so a gate over a
 * range (`--dt ... --to ...`) lists and reads them once rather than once per day.
 */
const rawTotals = new Map<string, Promise<DayTotals | null>>();

async function dayTotals(s3: S3Client, bucket: string, dataset: string): Promise<DayTotals | null> {
  let uris: string[];
  try {
    uris = await rawObjects(s3, bucket, dataset);
  } catch (error) {
    if (error instanceof InputRejectedError) return null;
    throw error;
  }
  const totals: DayTotals = new Map();
  for (const uri of uris) {
    const key = uri.slice(`s3://${bucket}/`.length);
    for await (const records of readRecords(await objectStream(s3, bucket, key))) {
      for (const { row, text } of records) {
        if (row === 1) continue;
        const fields = splitFields(text);
        const day = parseSourceDate(fields[2] ?? '');
        if (!day) continue;
        const t = totals.get(day) ?? { rows: 0, cents: 0 };
        t.rows++;
        const c = toEvent(fields, row, dataset, uri);
        if (c.ok) t.cents += cents(c.event.line.amount);
        totals.set(day, t);
      }
    }
  }
  return totals;
}

/** Raw layer: rows of the day in the dataset's raw CSVs, and the events they make (via toEvent). */
async function rawFacts(s3: S3Client, bucket: string, dataset: string, dt: string) {
  const memo = `${bucket}/${dataset}`;
  let totals = rawTotals.get(memo);
  if (!totals) {
    totals = dayTotals(s3, bucket, dataset);
    rawTotals.set(memo, totals);
    totals.catch(() => rawTotals.delete(memo));
  }
  const all = await totals;
  if (!all) return { source_rows: null, source_event_amount_sum: null };
  const day = all.get(dt) ?? { rows: 0, cents: 0 };
  return { source_rows: day.rows, source_event_amount_sum: rupees(day.cents) };
}

/** Topic layer: the markers stream-produce leaves per (dataset, day, raw content). */
async function topicFacts(s3: S3Client, bucket: string, dataset: string, dt: string) {
  const markers = await keys(s3, bucket, `runs/stream-produce/produced/dataset=${dataset}/dt=${dt}/`);
  if (!markers.length) return { produced_rows: null, topic_events: null };
  let events = 0;
  let dead = 0;
  for (const key of markers) {
    const m = await json<{ events: number; deadLettered: number }>(s3, bucket, key);
    events += m.events;
    dead += m.deadLettered;
  }
  return { produced_rows: events + dead, topic_events: events };
}

async function bronzeFacts(s3: S3Client, bucket: string, dataset: string, dt: string) {
  const objects = (await keys(s3, bucket, `lake/bronze/order_lines/dataset=${dataset}/dt=${dt}/`)).filter((k) =>
    k.endsWith('.ndjson'),
  );
  if (!objects.length) return { bronze_rows: null, bronze_distinct_rows: null, bronze_amount_sum: null };
  const seen = new Set<string>();
  let rows = 0;
  let amount = 0;
  for (const key of objects) {
    const input = { body: await objectStream(s3, bucket, key), source: key };
    for await (const b of ndjsonBatches(input, 0, [], new Set(), null)) {
      const col = (c: string): ArrayLike<unknown> => b.columns.get(c) ?? [];
      const [uris, nums, amounts] = [col('source.uri'), col('source.row'), col('line.amount')];
      for (let i = 0; i < b.length; i++) {
        rows++;
        const id = `${String(uris[i])}#${String(nums[i])}`;
        if (seen.has(id)) continue;
        seen.add(id);
        amount += cents(amounts[i] as string | null);
      }
    }
  }
  return { bronze_rows: rows, bronze_distinct_rows: seen.size, bronze_amount_sum: rupees(amount) };
}

interface Manifest {
  bronze_rows: number;
  redelivered_rows: number;
  duplicate_rows: number;
  quarantined_rows: number;
  silver_rows: number;
  silver_amount_sum: string | number;
  silver_realised_sum: string | number;
  files: unknown[];
}

async function silverFacts(s3: S3Client, bucket: string, dataset: string, dt: string) {
  const prefix = `lake/silver/order_lines/dataset=${dataset}/dt=${dt}/`;
  const all = await keys(s3, bucket, prefix);
  if (!all.includes(`${prefix}_manifest.json`)) {
    return {
      manifest_bronze_rows: null,
      bronze_accounted_rows: null,
      manifest_silver_rows: null,
      silver_rows: null,
      silver_amount_sum: null,
      silver_realised_sum: null,
    };
  }
  const m = await json<Manifest>(s3, bucket, `${prefix}_manifest.json`);
  let rows = 0;
  // Only the files the manifest lists: others are leftovers of a transform that died mid-publish.
  const listed = new Set(m.files.map(manifestFileName));
  for (const key of all.filter((k) => k.endsWith('.parquet') && listed.has(path.posix.basename(k)))) {
    const head = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
    const size = head.Contents?.[0]?.Size ?? 0;
    const { metadata } = await parquetColumns({ file: s3AsyncBuffer(s3, bucket, key, size), source: key });
    rows += Number(metadata.num_rows);
  }
  return {
    manifest_bronze_rows: m.bronze_rows,
    bronze_accounted_rows: m.silver_rows + m.quarantined_rows + m.duplicate_rows + m.redelivered_rows,
    manifest_silver_rows: m.silver_rows,
    silver_rows: rows,
    silver_amount_sum: rupees(cents(String(m.silver_amount_sum))),
    silver_realised_sum: rupees(cents(String(m.silver_realised_sum))),
  };
}

async function warehouseFacts(pool: Pool | null, dataset: string, dt: string) {
  const none = { warehouse_rows: null, warehouse_amount_sum: null, warehouse_realised_sum: null };
  if (!pool) return none;
  const exists = await pool.query(
    "select 1 from information_schema.tables where table_schema = 'sales' and table_name = 'fact_order_lines'",
  );
  if (!exists.rowCount) return none;
  const r = await pool.query<{ n: string; amount: string | null; realised: string | null }>(
    'select count(*) as n, coalesce(sum(amount), 0) as amount, coalesce(sum(realised_amount), 0) as realised from sales.fact_order_lines where dataset = $1 and dt = $2',
    [dataset, dt],
  );
  const row = r.rows[0]!;
  // A loaded table with no row of the day reports 0 (null means: no warehouse to ask).
  return {
    warehouse_rows: Number(row.n),
    warehouse_amount_sum: rupees(cents(row.amount)),
    warehouse_realised_sum: rupees(cents(row.realised)),
  };
}

/** Reads every layer's facts for one (dataset, dt). */
export async function layerFacts(
  s3: S3Client,
  bucket: string,
  pool: Pool | null,
  dataset: string,
  dt: string,
): Promise<LayerFacts> {
  const facts = {
    dataset,
    dt,
    ...(await rawFacts(s3, bucket, dataset, dt)),
    ...(await topicFacts(s3, bucket, dataset, dt)),
    ...(await bronzeFacts(s3, bucket, dataset, dt)),
    ...(await silverFacts(s3, bucket, dataset, dt)),
    ...(await warehouseFacts(pool, dataset, dt)),
  };
  return { ...facts, lost_everything: lostEverything(facts) };
}
