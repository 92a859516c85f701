import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Pool } from '../../src/clients/db';
import { MODEL } from '../../src/warehouse/model/tables';
import { silverPrefix } from '../../src/warehouse/silver/source';
import { repoRoot, runStepCli, uniqueSuffix } from './helpers';

const python = path.join(repoRoot, '.venv', 'bin', 'python');
const builder = path.join(repoRoot, 'tests', 'sql', 'silver_synthetic.py');

/** Options of the fixture builder (tests/sql/silver_fixture.py). */
export interface SilverOptions {
  files?: number;
  /** Write the rows as given; by default they are sorted by (order_id, sku), as the contract wants. */
  keepOrder?: boolean;
  drop?: string;
  retype?: string;
  manifest?: Record<string, unknown>;
}

/**
 * Writes a silver partition to the bucket as the contract says, from partial rows (the builder
 * fills defaults and the derived columns). Replaces whatever the partition held.
 */
export async function putSilver(
  s3: S3Client,
  bucket: string,
  dataset: string,
  dt: string,
  rows: Record<string, unknown>[],
  options: SilverOptions = {},
): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'silver-'));
  try {
    const args = ['rows', '--out', dir, '--dataset', dataset, '--dt', dt, '--files', String(options.files ?? 1)];
    if (options.keepOrder) args.push('--keep-order');
    if (options.drop) args.push('--drop', options.drop);
    if (options.retype) args.push('--retype', options.retype);
    if (options.manifest) args.push('--manifest', JSON.stringify(options.manifest));
    execFileSync(python, [builder, ...args], { input: JSON.stringify(rows) });
    await clearPrefix(s3, bucket, silverPrefix(dataset, dt));
    for (const name of readdirSync(dir)) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `${silverPrefix(dataset, dt)}${name}`,
          Body: readFileSync(path.join(dir, name)),
        }),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function clearPrefix(s3: S3Client, bucket: string, prefix: string): Promise<void> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
  if (keys.length) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
}

/** A throwaway warehouse schema, migrated by the real step. */
export async function freshSchema(): Promise<string> {
  const schema = `wh_it_${uniqueSuffix().replace(/-/g, '_')}`;
  const { code, result } = await runStepCli(['warehouse-migrate', '--schema', schema]);
  if (code !== 0) throw new Error(`warehouse-migrate failed: ${JSON.stringify(result.error)}`);
  return schema;
}

export async function dropSchema(pool: Pool, schema: string): Promise<void> {
  await pool.query(`drop schema if exists ${schema} cascade`);
}

/**
 * A checksum per table of the star schema: md5 over every row's text, in a fixed order, so two
 * schemas hold the same data exactly when the checksums agree. load_audit is a log of runs and
 * differs by nature (run ids, times), so it is left out.
 */
export async function tableChecksums(pool: Pool, schema: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of MODEL.filter((x) => x.name !== 'load_audit')) {
    const { rows } = await pool.query<{ n: string; md5: string }>(
      `select count(*) as n, coalesce(md5(string_agg(r::text, E'\\n' order by r::text)), '') as md5 from ${schema}.${t.name} as r`,
    );
    out[t.name] = `${rows[0]!.n}:${rows[0]!.md5}`;
  }
  return out;
}

/** Partial silver rows of a day: `n` lines with varied attributes. */
export function dayRows(dt: string, n: number, seed = 1): Record<string, unknown>[] {
  const statuses = ['Shipped', 'Cancelled', 'Shipped - Delivered to Buyer', 'Pending'];
  return Array.from({ length: n }, (_, i) => ({
    order_id: `40${seed}-${dt.replace(/-/g, '').slice(2)}${String(i).padStart(1, '0')}-${String(i * 31 + seed).padStart(7, '0')}`,
    sku: `SKU${(i * seed) % 7}-KR-${['S', 'M', 'L'][i % 3]}`,
    style: `SKU${(i * seed) % 7}`,
    // The same SKU carries another category on a later day: type 1, the latest day wins.
    // Every SKU changes category from day to day: type 1, the latest order date must win.
    category: `cat-${dt.slice(8)}`,
    status: statuses[i % statuses.length],
    amount: i % 6 === 0 ? null : `${(100 + i * 13.37).toFixed(2)}`,
    ship_city: i % 9 === 0 ? null : ['PUNE', 'PATNA', 'KOCHI'][i % 3],
    ship_state: i % 9 === 0 ? null : ['MAHARASHTRA', 'BIHAR', 'KERALA'][i % 3],
    ship_postal_code: i % 9 === 0 ? null : ['411038', '800001', '682001'][i % 3],
    ship_country: i % 9 === 0 ? null : 'IN',
    promotion_ids: i % 2 ? [] : [`VPC-${i % 4}`, 'IN Core Free Shipping 2015/04/08 23-48-5-108'],
  }));
}

/** A synthetic silver partition of `rows` lines (tests/sql/silver_synthetic.py), uploaded. */
export async function putSyntheticSilver(s3: S3Client, bucket: string, dataset: string, dt: string, rows: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'silver-'));
  try {
    execFileSync(python, [
      builder,
      'synthetic',
      '--out',
      dir,
      '--dataset',
      dataset,
      '--from',
      dt,
      '--to',
      dt,
      '--rows',
      String(rows),
    ]);
    await clearPrefix(s3, bucket, silverPrefix(dataset, dt));
    const part = path.join(dir, `dt=${dt}`);
    for (const name of readdirSync(part)) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `${silverPrefix(dataset, dt)}${name}`,
          Body: readFileSync(path.join(part, name)),
        }),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
