import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { createLogger } from '../../src/logger';
import type { LoadDialect } from '../../src/warehouse/dialects/dialect';
import { postgres } from '../../src/warehouse/dialects/postgres';
import { redshift } from '../../src/warehouse/dialects/redshift';
import { loadDate, type LoadDeps } from '../../src/warehouse/load/load';
import { redshiftLoadScript } from '../../src/warehouse/load/redshift-script';
import { renderLoadSql } from '../../src/warehouse/model/render-main';
import { repoRoot } from '../../src/paths';
import { binaryCopyToText } from './copy-binary-text';

/**
 * The aws profile cannot reach Redshift in tests: these check the SQL it would send, in order,
 * through a fake connection, with the real silver fixture behind a fake S3, and that it is the
 * PostgreSQL load's SQL but for the dialect module's statements (the integration tier runs those
 * shared statements on PostgreSQL).
 */
const fixture = path.join(__dirname, '..', 'fixtures', 'silver-unit-2022-04-30');
const prefix = 'lake/silver/order_lines/dataset=unit/dt=2022-04-30/';
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

function fakeS3() {
  const puts: { key: string; body: Buffer }[] = [];
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
      puts.push({ key: String(cmd.input.Key), body: cmd.input.Body as Buffer });
      return {};
    },
  };
  return { client: client as unknown as S3Client, puts };
}

/**
 * A connection that answers what the load reads; COPY FROM STDIN keeps what it was sent (the fact
 * rows in `copied`, member rows by table in `memberCopies`), member INSERTs their bound values.
 */
function fakePool(monthPartitions = false) {
  const sent: string[] = [];
  const copied: Buffer[] = [];
  const memberCopies = new Map<string, Buffer[]>();
  const memberInserts = new Map<string, unknown[][]>();
  const reply = (text: string) => {
    if (/pg_backend_pid/.test(text)) return [{ pid: 7 }];
    if (/count\(\*\) as n from sales\.dim_date/.test(text)) return [{ n: '365' }];
    if (/to_regclass/.test(text)) return [{ month: monthPartitions, day: false }];
    if (/as key_mismatches/.test(text)) return [{ key_mismatches: '0' }];
    if (/pg_last_copy_count/.test(text)) return [{ n: '3' }];
    if (/as stage_rows/.test(text)) return [{ stage_rows: '3' }];
    if (/as fact_rows/.test(text)) {
      return [
        {
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
          bridge_pairs: 2,
        },
      ];
    }
    return [];
  };
  const query = (q: string | { text: string }, values?: unknown[]) => {
    if (typeof q !== 'string') {
      sent.push(flat(q.text));
      const member = /^copy (stage_\w+) /.exec(q.text)?.[1];
      const into = member ? memberCopies.set(member, memberCopies.get(member) ?? []).get(member)! : copied;
      const sink = new Writable({ write: (chunk: Buffer, _e, cb) => (into.push(chunk), cb()) });
      return Object.assign(sink, { rowCount: 3 });
    }
    sent.push(flat(q));
    const member = /^insert into (stage_\w+) \(([^)]*)\)/.exec(q)?.[1];
    if (member) {
      const width = /^insert into stage_\w+ \(([^)]*)\)/.exec(q)![1]!.split(',').length;
      const rows = memberInserts.get(member) ?? [];
      for (let i = 0; i < values!.length; i += width) rows.push(values!.slice(i, i + width));
      memberInserts.set(member, rows);
    }
    return Promise.resolve({ rows: reply(q) });
  };
  const client = { query, release: () => undefined, on: () => client, removeListener: () => client };
  const pool = { connect: async () => client, query };
  return { pool: pool as unknown as pg.Pool, sent, copied, memberCopies, memberInserts };
}

function deps(pool: pg.Pool, s3: S3Client, dialect: LoadDialect, trace?: LoadDeps['trace']): LoadDeps {
  return {
    pool,
    s3,
    bucket: 'bkt',
    schema: 'sales',
    dialect,
    method: dialect === redshift ? 'redshift-copy' : 'copy',
    runId: 'run-1',
    copyRoleArn: dialect === redshift ? 'arn:aws:iam::123456789012:role/copy' : undefined,
    logger: createLogger('silent'),
    signal: new AbortController().signal,
    trace,
  };
}

async function run(dialect: LoadDialect, monthPartitions = false) {
  const fake = fakePool(monthPartitions);
  const s3 = fakeS3();
  const own: string[] = [];
  const trace: LoadDeps['trace'] = (origin, sql) => void (origin === 'dialect' && own.push(flat(sql)));
  const out = await loadDate(deps(fake.pool, s3.client, dialect, trace), 'unit', '2022-04-30');
  return { ...fake, s3, own, out };
}

describe('warehouse-load on the aws profile (Redshift)', () => {
  it('sends lock, the gzipped rows to S3, COPY, the members, the merge, the reconciliation and the audit, in one transaction', async () => {
    const { sent, s3, out } = await run(redshift);
    expect(out.rows).toBe(3);
    const first = (re: RegExp) => sent.findIndex((s) => re.test(s));
    const order = [
      /^begin$/,
      /^lock sales\.load_audit$/,
      /^create temp table stage_products \(product_key bigint, sku varchar\(1024\)/,
      /^create table sales\.fact_order_lines_load \(like sales\.fact_order_lines\)$/,
      /^copy sales\.fact_order_lines_load \(dataset, dt, order_id, sku,/,
      /^insert into stage_products/,
      /^update sales\.dim_product/,
      /^insert into sales\.dim_product/,
      /as key_mismatches/,
      /^delete from sales\.fact_order_lines where dataset = \$1 and dt = \$2::date$/,
      /^insert into sales\.fact_order_lines \(/,
      /^drop table sales\.fact_order_lines_load$/,
      /as fact_rows/,
      /^insert into sales\.load_audit/,
      /^commit$/,
    ].map(first);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const key = 'warehouse/copy/dataset=unit/dt=2022-04-30/run-1/part-';
    expect(sent).toContain(
      'copy sales.fact_order_lines_load (dataset, dt, order_id, sku, date_key, product_key, location_key, ' +
        'fulfilment_key, status_key, promotion_group_key, qty, amount, gross_amount, realised_amount, lost_amount, ' +
        `promo_count, is_b2b, is_cancelled, is_non_amazon) from 's3://bkt/${key}' ` +
        "iam_role 'arn:aws:iam::123456789012:role/copy' delimiter '\\t' escape gzip",
    );
    expect(s3.puts.map((p) => p.key)).toEqual([`${key}00000.tsv.gz`]);
    expect(gunzipSync(s3.puts[0]!.body).toString().split('\n')).toHaveLength(4);
    expect(sent.some((s) => /pg_advisory|::bit\(60\)|partition|on commit|^set |to_regclass/.test(s))).toBe(false);
    // Redshift keeps temporary tables for the session: the load drops them before and after.
    expect(sent.filter((s) => s === 'drop table if exists stage_products')).toHaveLength(2);
  });

  it('sends the same text as the PostgreSQL load but for the dialect module, and the same rows it COPYs', async () => {
    const pg = await run(postgres);
    const pgByMonth = await run(postgres, true);
    const rs = await run(redshift);
    const shared = (r: { sent: string[]; own: string[] }) => r.sent.filter((s) => !r.own.includes(s));
    // A warehouse with month partitions (loaded before day partitions) is published as on Redshift.
    expect(shared(rs)).toEqual(shared(pgByMonth));
    const replace =
      /^(delete from sales\.fact_order_lines |insert into sales\.fact_order_lines \(|drop table sales\.fact_order_lines_load$)/;
    expect(shared(rs).filter((s) => !replace.test(s))).toEqual(shared(pg));
    expect(shared(pg).length).toBeGreaterThanOrEqual(15);
    // PostgreSQL COPYs from STDIN, as binary tuples, the rows Redshift COPYs from S3 as text.
    const redshiftText = gunzipSync(rs.s3.puts[0]!.body);
    const day = { dataset: 'unit', dt: '2022-04-30', date_key: '20220430' };
    expect(binaryCopyToText(Buffer.concat(pg.copied), day).toString()).toEqual(redshiftText.toString());
    expect(redshiftText.toString().split('\n')).toHaveLength(4);
    // What differs is small and named: the dialect module's statements only.
    expect(pg.own.some((s) => s.includes('alter table sales.fact_order_lines attach partition'))).toBe(true);
    expect(
      rs.own.every((s) =>
        /^(lock|drop table if exists|create temp table|copy |select pg_last_copy_count|insert into stage_)/.test(s),
      ),
    ).toBe(true);
  });

  it('stages the same members on both dialects: COPY text on PostgreSQL, bound INSERT values on Redshift', async () => {
    const pg = await run(postgres);
    const rs = await run(redshift);
    // COPY text back to values: \N is NULL, a backslash takes the next character literally.
    const unescape = (field: string) =>
      field === '\\N' ? null : field.replace(/\\(.)/g, (_m, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c);
    const copiedRows = new Map(
      [...pg.memberCopies].map(([table, chunks]) => [
        table,
        Buffer.concat(chunks)
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => line.split('\t').map(unescape)),
      ]),
    );
    expect([...copiedRows.keys()].sort()).toEqual([...rs.memberInserts.keys()].sort());
    expect(copiedRows.get('stage_products')!.length).toBeGreaterThan(0);
    for (const [table, rows] of rs.memberInserts) expect(copiedRows.get(table)).toEqual(rows);
    expect(pg.own.filter((s) => s.startsWith('copy stage_'))).toHaveLength(copiedRows.size);
    expect(pg.sent.some((s) => s.startsWith('insert into stage_'))).toBe(false);
  });

  it('renders every statement a Redshift load sends into the script CI parses', async () => {
    const rs = await run(redshift);
    const script = new Set(redshiftLoadScript().map(flat));
    const memberInsert = /^insert into stage_\w+ \(/;
    const bookkeeping =
      /^(begin|commit|select pg_backend_pid|select count\(\*\) as n from sales\.dim_date|insert into sales\.load_audit)/;
    const missing = rs.sent.filter((s) => !script.has(s) && !memberInsert.test(s) && !bookkeeping.test(s));
    expect(missing.map((s) => s.replace(/'s3:\/\/[^']+'|'arn:[^']+'/g, '?'))).toEqual([
      expect.stringMatching(/^copy sales\.fact_order_lines_load/),
    ]);
  });

  it('keeps the script CI parses equal to what the load sends (else run `make sql-render`)', () => {
    // sqlglot (tests/sql) reads the committed file, not the code: a statement changed without
    // re-rendering would leave the parser checking the old text.
    const committed = readFileSync(path.join(repoRoot, 'sql', 'load', 'redshift_load_partition.sql'), 'utf8');
    expect(committed).toEqual(renderLoadSql());
  });

  it('fails before any COPY when no IAM role is configured, and rolls back', async () => {
    const { pool, sent } = fakePool();
    await expect(
      loadDate({ ...deps(pool, fakeS3().client, redshift), copyRoleArn: undefined }, 'unit', '2022-04-30'),
    ).rejects.toThrow(/REDSHIFT_COPY_ROLE_ARN is not set/);
    expect(sent.some((s) => s.startsWith('copy '))).toBe(false);
    expect(sent).toContain('rollback');
    expect(sent.some((s) => s.startsWith('insert into sales.load_audit'))).toBe(true);
  });
});
