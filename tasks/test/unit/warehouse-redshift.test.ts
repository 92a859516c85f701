import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { createLogger } from '../../src/logger';
import { loadDate, type LoadDeps } from '../../src/warehouse/load';

/**
 * The aws profile cannot reach Redshift in tests: these check the SQL it would send, in order,
 * through a fake connection, with the real silver fixture behind a fake S3.
 */
const fixture = path.join(__dirname, '..', 'fixtures', 'silver-unit-2022-04-30');
const prefix = 'lake/silver/order_lines/dataset=unit/dt=2022-04-30/';

function fakeS3() {
  const puts: { key: string; body: string }[] = [];
  const client = {
    send: async (cmd: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = cmd.constructor.name;
      if (name === 'ListObjectsV2Command') {
        return {
          Contents: readdirSync(fixture).map((f) => ({ Key: prefix + f, Size: statSync(path.join(fixture, f)).size })),
        };
      }
      if (name === 'GetObjectCommand') {
        const whole = readFileSync(path.join(fixture, path.basename(String(cmd.input.Key))));
        // Ranged GETs as S3 answers them: bytes=first-last, inclusive.
        const range = /^bytes=(\d+)-(\d+)$/.exec(String(cmd.input.Range ?? ''));
        const bytes = range ? whole.subarray(Number(range[1]), Number(range[2]) + 1) : whole;
        return {
          Body: {
            transformToString: async () => bytes.toString('utf8'),
            transformToByteArray: async () => new Uint8Array(bytes),
          },
        };
      }
      puts.push({ key: String(cmd.input.Key), body: String(cmd.input.Body) });
      return {};
    },
  };
  return { client: client as unknown as S3Client, puts };
}

function fakePool() {
  const sent: string[] = [];
  const reply = (text: string) => {
    if (/pg_backend_pid/.test(text)) return [{ pid: 7 }];
    if (/count\(\*\) as n from sales\.dim_date/.test(text)) return [{ n: '365' }];
    if (/as stage_rows/.test(text)) {
      return [
        {
          stage_rows: 3,
          fact_rows: 3,
          amount_sum: '647.67',
          gross_sum: '647.67',
          realised_sum: '647.67',
          lost_sum: '0.00',
          qty_sum: 4,
          unknown_product: 0,
          unknown_location: 1,
          unknown_fulfilment: 0,
          unknown_status: 0,
          stage_no_location: 1,
          stage_no_fulfilment: 0,
          bridge_pairs: 2,
        },
      ];
    }
    return [];
  };
  const query = async (text: string) => {
    sent.push(text.replace(/\s+/g, ' ').trim());
    return { rows: reply(text) };
  };
  const pool = { connect: async () => ({ query, release: () => undefined }), query };
  return { pool: pool as unknown as pg.Pool, sent };
}

function deps(pool: pg.Pool, s3: S3Client, copyRoleArn?: string): LoadDeps {
  return {
    pool,
    s3,
    bucket: 'bkt',
    schema: 'sales',
    dialect: 'redshift',
    method: 'redshift-copy',
    runId: 'run-1',
    copyRoleArn,
    logger: createLogger('silent'),
    signal: new AbortController().signal,
  };
}

describe('warehouse-load on the aws profile (Redshift)', () => {
  it('sends lock, COPY FROM S3 with a manifest, the merge, the reconciliation and the audit, in one transaction', async () => {
    const { pool, sent } = fakePool();
    const s3 = fakeS3();
    const out = await loadDate(deps(pool, s3.client, 'arn:aws:iam::123456789012:role/copy'), 'unit', '2022-04-30');
    expect(out.rows).toBe(3);
    const first = (re: RegExp) => sent.findIndex((s) => re.test(s));
    const order = [
      /^begin$/,
      /^lock sales\.load_audit$/,
      /^create temp table stage_order_lines \(dataset varchar\(4096\), dt date,/,
      /^copy stage_order_lines from/,
      /^analyze stage_order_lines$/,
      /json_serialize/,
      /^insert into sales\.dim_product/,
      /^delete from sales\.fact_order_lines where dataset = \$1 and dt = \$2::date$/,
      /^insert into sales\.fact_order_lines/,
      /as stage_rows/,
      /^insert into sales\.load_audit/,
      /^commit$/,
    ].map(first);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(sent).toContain(
      "copy stage_order_lines from 's3://bkt/warehouse/copy-manifests/dataset=unit/dt=2022-04-30/run-1.manifest' " +
        "iam_role 'arn:aws:iam::123456789012:role/copy' format as parquet serializetojson manifest",
    );
    expect(sent.find((s) => s.startsWith('create temp table stage_order_lines'))).toContain('promotion_ids super');
    expect(sent.find((s) => s.startsWith('insert into sales.dim_product'))).toContain(
      'strtol(substring(md5(p.sku), 1, 15), 16)',
    );
    expect(sent.some((s) => /pg_advisory|::bit\(60\)|partition of|on commit drop|^set /.test(s))).toBe(false);
    // Redshift keeps temporary tables for the session: the load drops them before and after.
    expect(sent.filter((s) => s === 'drop table if exists stage_products')).toHaveLength(2);
    const manifest = JSON.parse(s3.puts[0]!.body);
    expect(s3.puts[0]!.key).toBe('warehouse/copy-manifests/dataset=unit/dt=2022-04-30/run-1.manifest');
    expect(manifest.entries).toEqual([
      {
        url: `s3://bkt/${prefix}part-00000-fixture.snappy.parquet`,
        mandatory: true,
        meta: { content_length: statSync(path.join(fixture, 'part-00000-fixture.snappy.parquet')).size },
      },
    ]);
  });

  it('fails before any COPY when no IAM role is configured, and rolls back', async () => {
    const { pool, sent } = fakePool();
    await expect(loadDate(deps(pool, fakeS3().client), 'unit', '2022-04-30')).rejects.toThrow(
      /REDSHIFT_COPY_ROLE_ARN is not set/,
    );
    expect(sent.some((s) => s.startsWith('copy '))).toBe(false);
    expect(sent).toContain('rollback');
    expect(sent.some((s) => s.startsWith('insert into sales.load_audit'))).toBe(true);
  });
});
