import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ConfigError } from '../errors';
import { readSilverFile, type SilverBatch, type SilverSummary } from './silver-reader';
import { fetchObject, type SilverPartition } from './silver-source';
import { STAGED_COLUMNS } from './silver-contract';
import { PROMO_LISTS, STAGE, stagedName } from './stage-sql';
import { copyLines } from './values';

/** How silver reaches the staging table. */
export type StageMethod = 'copy' | 'insert' | 'redshift-copy';

export interface StageContext {
  client: pg.PoolClient;
  s3: S3Client;
  bucket: string;
  partition: SilverPartition;
  summary: SilverSummary;
  throwIfStopped: () => void;
}

const CHUNK = 2_000;

/** Batches of every part of the partition, checked against the contract on the way. */
async function* silverBatches(ctx: StageContext, ordered = false): AsyncGenerator<SilverBatch> {
  const { partition: p } = ctx;
  for (const part of p.parts) {
    ctx.throwIfStopped();
    const buffer = await fetchObject(ctx.s3, ctx.bucket, part.key);
    const name = `s3://${ctx.bucket}/${part.key}`;
    for await (const batch of readSilverFile(name, buffer, p, ctx.summary, { ordered })) {
      yield batch;
      ctx.throwIfStopped();
    }
  }
}

/**
 * local profile: streams the Parquet rows into `COPY stage FROM STDIN` (text format). A bad row
 * or a stop request ends the generator with an error, and pipeline() aborts the COPY with it.
 */
export async function stageByCopy(ctx: StageContext): Promise<void> {
  const cols = STAGED_COLUMNS.map(stagedName).join(', ');
  const sink = ctx.client.query(copyFrom(`copy ${STAGE} (${cols}) from stdin`));
  const plain = STAGED_COLUMNS.map((c) => c.kind !== 'string');
  async function* text() {
    for await (const batch of silverBatches(ctx)) {
      for (let i = 0; i < batch.length; i += CHUNK)
        yield copyLines(batch.columns, i, Math.min(batch.length, i + CHUNK), plain);
    }
  }
  await pipeline(Readable.from(text()), sink);
  // The day's distinct promotion lists, known once every line was read.
  const lists = ctx.summary.promotionLists.literals;
  const rows = [lists.map((_, n) => String(n)).slice(1), lists.slice(1)];
  await pipeline(
    Readable.from([copyLines(rows, 0, rows[0]!.length)]),
    ctx.client.query(copyFrom(`copy ${PROMO_LISTS} (promotion_list, ids) from stdin`)),
  );
}

/**
 * The benchmark peer: the same rows as multi-row INSERT statements with bound parameters
 * (1,000 rows a statement), the usual way to load without COPY.
 */
export async function stageByInsert(ctx: StageContext): Promise<void> {
  const cols = STAGED_COLUMNS.map(stagedName);
  const per = 1_000;
  for await (const batch of silverBatches(ctx)) {
    for (let i = 0; i < batch.length; i += per) {
      const n = Math.min(per, batch.length - i);
      const values: (string | null)[] = [];
      for (let r = i; r < i + n; r++) for (const c of batch.columns) values.push(c[r] ?? null);
      const tuples = Array.from(
        { length: n },
        (_, r) => `(${cols.map((_c, k) => `$${r * cols.length + k + 1}`).join(', ')})`,
      );
      await ctx.client.query(`insert into ${STAGE} (${cols.join(', ')}) values ${tuples.join(', ')}`, values);
    }
  }
  const lists = ctx.summary.promotionLists.literals;
  for (let i = 1; i < lists.length; i += per) {
    const batch = lists.slice(i, i + per);
    const tuples = batch.map((_, r) => `($${2 * r + 1}::int, $${2 * r + 2}::text[])`);
    const values = batch.flatMap((literal, r) => [String(i + r), literal]);
    await ctx.client.query(`insert into ${PROMO_LISTS} (promotion_list, ids) values ${tuples.join(', ')}`, values);
  }
}

/** Literal inside single quotes (COPY's S3 URI and role cannot be bound parameters). */
const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** S3 key of the Redshift COPY manifest of one load. */
export function copyManifestKey(dataset: string, dt: string, runId: string): string {
  return `warehouse/copy-manifests/dataset=${dataset}/dt=${dt}/${runId.replace(/[^A-Za-z0-9._=-]/g, '_')}.manifest`;
}

/** The manifest Redshift COPY reads: every part, mandatory, with content_length (Parquet needs it). */
export function copyManifest(bucket: string, parts: { key: string; size: number }[]) {
  return {
    entries: parts.map((p) => ({ url: `s3://${bucket}/${p.key}`, mandatory: true, meta: { content_length: p.size } })),
  };
}

/** The COPY statement of the aws profile. */
export function redshiftCopySql(bucket: string, manifestKey: string, roleArn: string): string {
  return (
    `copy ${STAGE} from ${quote(`s3://${bucket}/${manifestKey}`)} iam_role ${quote(roleArn)} ` +
    'format as parquet serializetojson manifest'
  );
}

/**
 * aws profile: Redshift reads the Parquet itself through a manifest. The parts are still read
 * here once, for the contract check (column order included) and the sums the load reconciles to.
 */
export async function stageByRedshiftCopy(
  ctx: StageContext,
  runId: string,
  roleArn: string | undefined,
): Promise<void> {
  if (!roleArn) throw new ConfigError('REDSHIFT_COPY_ROLE_ARN is not set: Redshift needs a role to read silver');
  for await (const batch of silverBatches(ctx, true)) void batch;
  const { dataset, dt, parts } = ctx.partition;
  if (!parts.length) return; // an empty day: nothing to copy (Redshift rejects an empty manifest)
  const key = copyManifestKey(dataset, dt, runId);
  await ctx.s3.send(
    new PutObjectCommand({
      Bucket: ctx.bucket,
      Key: key,
      Body: JSON.stringify(copyManifest(ctx.bucket, parts)),
      ContentType: 'application/json',
    }),
  );
  await ctx.client.query(redshiftCopySql(ctx.bucket, key, roleArn));
}
