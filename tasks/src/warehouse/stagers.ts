import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { ConfigError } from '../errors';
import type { SilverDay } from './silver/day';
import type { SilverPartition } from './silver/source';
import { STAGE } from './stage-sql';

/** How silver reaches the staging table. */
export type StageMethod = 'copy' | 'insert' | 'redshift-copy';

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
  ctx: { client: pg.PoolClient; s3: S3Client; bucket: string; day: SilverDay; partition: SilverPartition },
  runId: string,
  roleArn: string | undefined,
): Promise<void> {
  if (!roleArn) throw new ConfigError('REDSHIFT_COPY_ROLE_ARN is not set: Redshift needs a role to read silver');
  for await (const batch of ctx.day.batches()) void batch;
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
