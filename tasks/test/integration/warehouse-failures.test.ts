import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPool, type Pool } from '../../src/clients/db';
import { createS3Client } from '../../src/clients/s3';
import { createLogger } from '../../src/logger';
import { postgres } from '../../src/warehouse/dialects/postgres';
import { loadDate } from '../../src/warehouse/load/load';
import { repoRoot, runStepCli, stackConfig, uniqueSuffix } from './helpers';
import { s3Gate, type GateRequest, type S3Gate } from './s3-gate';
import {
  dayRows,
  dropSchema,
  freshSchema,
  putSilver,
  putSyntheticSilver,
  tableChecksums,
  type SilverOptions,
} from './warehouse-helpers';

const cliJs = path.join(repoRoot, 'tasks', 'dist', 'cli.js');

describe('warehouse-load when things go wrong', () => {
  let pool: Pool;
  let s3: S3Client;
  let schema: string;
  const bucket = `whf-${uniqueSuffix()}`;
  const dataset = `it-${uniqueSuffix()}`;
  const dt = '2022-04-29';
  const env = { S3_BUCKET: bucket };
  const load = (day = dt) => runStepCli(['warehouse-load', '--dt', day, '--dataset', dataset, '--schema', schema], env);

  beforeAll(async () => {
    pool = createPool(stackConfig());
    s3 = createS3Client(stackConfig());
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    schema = await freshSchema();
    // The previous state every failure must leave intact.
    await putSilver(s3, bucket, dataset, dt, dayRows(dt, 30));
    expect((await load()).code).toBe(0);
  });
  afterAll(async () => {
    await dropSchema(pool, schema);
    await pool.end();
    s3.destroy();
  });

  it.each([
    [
      'a missing column',
      { drop: 'status_bucket' },
      /part-00000-fixture\.snappy\.parquet.*column status_bucket missing/,
    ],
    ['a column of the wrong type', { retype: 'amount:double' }, /column amount is DOUBLE, the contract says decimal/],
    ['a manifest that disagrees with the Parquet', { manifest: { silver_rows: 99 } }, /rows: manifest 99, parquet 12/],
    // The fact's grain, which the loader checks on both dialects (the fact declares no primary key).
    [
      // Sorted, line 4 and its copy are rows 7 and 8 of 13: the last of the first part, the first of the second.
      'a line repeated across its two parts',
      { repeat: 4, files: 2 },
      /part-00001-fixture\.snappy\.parquet row 1 column order_id, sku: \(order_id 405-2204294-0000129, sku SKU6-KR-M\) repeats the line of row 7 of s3:\/\/\S+\/part-00000-fixture\.snappy\.parquet: a date holds each \(order_id, sku\) once/,
    ],
    [
      'lines out of key order',
      { keepOrder: true },
      /row 11 column order_id: \(order_id 405-22042910-0000315, sku SKU1-KR-M\) sorts before the line of row 10 \(order_id 405-2204299-0000284, sku SKU3-KR-S\): a date's lines come sorted/,
    ],
  ])(
    'refuses silver with %s, exit 1, naming the problem, and keeps the previous state',
    async (_what, { repeat, ...options }: SilverOptions & { repeat?: number }, message) => {
      const before = await tableChecksums(pool, schema);
      const rows = dayRows(dt, 12, 5);
      if (repeat !== undefined) rows.push({ ...rows[repeat] });
      await putSilver(s3, bucket, dataset, dt, rows, options);
      const { code, result } = await load();
      expect(code).toBe(1);
      expect(result.error.message).toMatch(message);
      expect(await tableChecksums(pool, schema)).toEqual(before);
      const audit = await pool.query(`select status, message from ${schema}.load_audit where run_id = $1`, [
        result.runId,
      ]);
      expect(audit.rows).toEqual([{ status: 'failed', message: result.error.message }]);
    },
  );

  it('refuses a date without a silver partition, exit 1, naming its upstream cause', async () => {
    const { code, result } = await load('2022-01-02');
    expect(code).toBe(1);
    expect(result.error.message).toMatch(/2022-01-02: no silver partition: no source row is dated 2022-01-02/);
    expect(result.error.message).not.toMatch(/run glue-transform/); // it could not produce the day
  });

  it('never records a 0-row day as loaded: names the quarantine behind it, exit 1', async () => {
    const empty = '2022-02-03';
    const quarantine = { bronze_rows: 7, quarantined_rows: 7, quarantine_rules: { status_bucket: 7 } };
    await putSilver(s3, bucket, dataset, empty, [], { manifest: quarantine });
    const { code, result } = await load(empty);
    expect(code).toBe(1);
    expect(result.error.message).toMatch(
      /2022-02-03: 0 silver rows: glue-transform quarantined 7 of 7 bronze rows \(status_bucket 7\)/,
    );
    const audit = await pool.query(`select status from ${schema}.load_audit where dt = $1 and status = 'succeeded'`, [
      empty,
    ]);
    expect(audit.rows).toEqual([]);
  });

  it('checks every date of a range before loading any: a gap commits nothing and is named', async () => {
    const [first, gap, last] = ['2022-06-01', '2022-06-02', '2022-06-03'];
    await putSilver(s3, bucket, dataset, first, dayRows(first, 10, 6));
    await putSilver(s3, bucket, dataset, last, dayRows(last, 10, 7));
    const marker = `runs/stream-produce/produced/dataset=${dataset}/dt=${gap}/content.json`;
    const body = JSON.stringify({ events: 0, deadLettered: 4, reasons: { bad_date: 3, bad_number: 1 } });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: marker, Body: body }));
    const { code, result } = await runStepCli(
      ['warehouse-load', '--dt', first, '--to', last, '--dataset', dataset, '--schema', schema],
      env,
    );
    expect(code).toBe(1);
    expect(result.error.message).toMatch(
      /2022-06-02: no silver partition: stream-produce dead-lettered all 4 rows dated 2022-06-02 \(bad_date 3, bad_number 1\)/,
    );
    const { rows } = await pool.query(
      `select count(*)::int as n from ${schema}.fact_order_lines where dt in ($1, $2)`,
      [first, last],
    );
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('commits the good days of a range and refuses the bad day read ahead, exit 1', async () => {
    // The next day is decoded while the previous day's SQL runs: its error must still surface
    // in its own turn, after the days before it committed.
    const [good, bad] = ['2022-05-10', '2022-05-11'];
    await putSilver(s3, bucket, dataset, good, dayRows(good, 20, 3));
    await putSilver(s3, bucket, dataset, bad, dayRows(bad, 20, 4), { drop: 'qty' });
    const { code, result } = await runStepCli(
      ['warehouse-load', '--dt', good, '--to', bad, '--dataset', dataset, '--schema', schema],
      env,
    );
    expect(code).toBe(1);
    expect(result.error.message).toMatch(/column qty missing/);
    const { rows } = await pool.query(
      `select dt::text as dt, count(*)::int as n from ${schema}.fact_order_lines where dt in ($1, $2) group by dt`,
      [good, bad],
    );
    expect(rows).toEqual([{ dt: good, n: 20 }]);
    const audit = await pool.query(`select dt::text as dt, status from ${schema}.load_audit where run_id = $1`, [
      result.runId,
    ]);
    expect(audit.rows).toEqual(
      expect.arrayContaining([
        { dt: good, status: 'succeeded' },
        { dt: bad, status: 'failed' },
      ]),
    );
  });

  const stderr = new Map<ChildProcess, string>();
  /** count, realised and gross of one date's fact rows, and an md5 over the rows themselves. */
  const daySums = async (s: string, day = dt) =>
    (
      await pool.query(
        `select count(*)::int as n, sum(realised_amount)::text as realised, sum(gross_amount)::text as gross,
                md5(string_agg(f::text, ',' order by f::text)) as md5
         from ${s}.fact_order_lines as f where dt = $1`,
        [day],
      )
    ).rows[0];

  /**
   * A Parquet part's second ranged read: the first is its footer (one read: these footers are far
   * below the reader's first 64 KiB), every later one a row group. A one-date load reads a part,
   * footer included, only from inside its COPY.
   */
  const rowGroupRead = (r: GateRequest, seen: GateRequest[]) =>
    r.method === 'GET' &&
    r.headers.range !== undefined &&
    /\.parquet(\?|$)/.test(r.url) &&
    seen.some((s) => s.url === r.url && s.headers.range !== undefined);

  /**
   * Starts a load in a child process and resolves once its transaction is inside the COPY: the
   * child's S3 reads go through a gate that holds the first row group's read, so the COPY stays
   * open, waiting for rows, until the test has acted; the gate closes when the child exits.
   */
  async function startLoadAndWaitMidTransaction(runId: string): Promise<{ child: ChildProcess; gate: S3Gate }> {
    const gate = await s3Gate(stackConfig().s3.endpoint!, rowGroupRead);
    const child = spawn(
      process.execPath,
      [
        cliJs,
        'warehouse-load',
        '--dt',
        dt,
        '--dataset',
        dataset,
        '--schema',
        schema,
        '--run-id',
        runId,
        '--log-level',
        'warn',
      ],
      {
        env: {
          ...process.env,
          ...env,
          S3_ENDPOINT: gate.endpoint,
          XCOM_PATH: path.join(repoRoot, '.local', 'xcom', `${runId}.json`),
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    child.on('exit', () => void gate.close());
    stderr.set(child, '');
    child.stderr!.on('data', (b: Buffer) => stderr.set(child, stderr.get(child) + b.toString()));
    const closed = new Promise((resolve) => child.on('close', resolve));
    const gaveUp = exited(child).then((how) =>
      Promise.reject(new Error(`the load ended (${JSON.stringify(how)}) before its COPY`)),
    );
    try {
      await Promise.race([gate.waitHeld(1, 60_000), gaveUp]);
      // Held: the COPY has started and waits for the rows of the read the gate holds.
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(50)) {
        const { rows } = await pool.query(
          `select 1 from pg_stat_activity where application_name = $1 and xact_start is not null and query ilike 'copy%'`,
          [`sales-pipeline:${runId}`],
        );
        if (rows.length) return { child, gate };
      }
      throw new Error('the load holds a row group read but is not inside its COPY');
    } catch (e) {
      child.kill('SIGKILL');
      await gate.close();
      await closed; // the child's stderr, read to its end
      throw new Error(`${(e as Error).message}; the load's stderr: ${stderr.get(child)}`, { cause: e });
    }
  }
  const exited = (child: ChildProcess) =>
    new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
  async function backendGone(runId: string) {
    for (let i = 0; i < 100; i++) {
      const { rows } = await pool.query('select 1 from pg_stat_activity where application_name = $1', [
        `sales-pipeline:${runId}`,
      ]);
      if (!rows.length) return;
      await sleep(50);
    }
    throw new Error('the killed load still holds its connection');
  }

  it('keeps the previous state when the load is SIGKILLed mid-transaction; a re-run completes', async () => {
    const before = await tableChecksums(pool, schema);
    await putSyntheticSilver(s3, bucket, dataset, dt, 60_000);
    const runId = `itest-kill-${uniqueSuffix()}`;
    const { child } = await startLoadAndWaitMidTransaction(runId);
    child.kill('SIGKILL');
    expect(await exited(child)).toEqual({ code: null, signal: 'SIGKILL' });
    await backendGone(runId);
    expect(await tableChecksums(pool, schema)).toEqual(before);
    const rerun = await load();
    expect(rerun.code).toBe(0);
    expect(rerun.result.counts.rows).toBe(60_000);
    // The re-run equals a clean run of the same silver into an empty warehouse.
    const clean = await freshSchema();
    try {
      const first = await runStepCli(['warehouse-load', '--dt', dt, '--dataset', dataset, '--schema', clean], env);
      expect(first.code).toBe(0);
      expect(await daySums(schema)).toEqual(await daySums(clean));
      expect((await daySums(clean)).n).toBe(60_000);
    } finally {
      await dropSchema(pool, clean);
    }
  }, 180_000);

  it('exits 3 (a crash, retried) when the server ends the connection mid-transaction, keeping the previous state', async () => {
    // What a stopping or restarting PostgreSQL does to each session: terminate its backend.
    await putSilver(s3, bucket, dataset, dt, dayRows(dt, 30));
    expect((await load()).code).toBe(0);
    const before = await tableChecksums(pool, schema);
    const sums = await daySums(schema);
    await putSyntheticSilver(s3, bucket, dataset, dt, 60_000);
    const runId = `itest-stop-${uniqueSuffix()}`;
    const { child, gate } = await startLoadAndWaitMidTransaction(runId);
    await pool.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [
      `sales-pipeline:${runId}`,
    ]);
    // S3 answers again: the load meets the lost connection as it sends the rows.
    gate.release();
    expect(await exited(child)).toEqual({ code: 3, signal: null });
    expect(stderr.get(child)).not.toMatch(/Unhandled 'error' event|\n\s+at /);
    expect(await tableChecksums(pool, schema)).toEqual(before);
    expect(await daySums(schema)).toEqual(sums);
  }, 120_000);

  it('leaks no pooled connection over 20 failing loads', async () => {
    const config = stackConfig();
    const small = createPool(config, 2);
    try {
      await putSilver(s3, bucket, dataset, '2022-07-01', dayRows('2022-07-01', 12, 8), {
        manifest: { silver_rows: 13 },
      });
      const deps = {
        pool: small,
        s3,
        bucket,
        schema,
        dialect: postgres,
        method: 'copy' as const,
        runId: `itest-leak-${uniqueSuffix()}`,
        logger: createLogger('silent'),
        signal: new AbortController().signal,
      };
      for (let i = 0; i < 20; i++) {
        await expect(loadDate(deps, dataset, '2022-07-01')).rejects.toThrow(/does not reconcile.*rows: manifest 13/);
      }
      expect({ waiting: small.waitingCount, checkedOut: small.totalCount - small.idleCount }).toEqual({
        waiting: 0,
        checkedOut: 0,
      });
      expect((await small.query('select 1 as ok')).rows).toEqual([{ ok: 1 }]);
    } finally {
      await small.end();
    }
  }, 120_000);

  it('rolls back and exits 143 on SIGTERM, recording the interrupted load; the retry (same run id) loads', async () => {
    await putSilver(s3, bucket, dataset, dt, dayRows(dt, 30));
    expect((await load()).code).toBe(0);
    const before = await tableChecksums(pool, schema);
    await putSyntheticSilver(s3, bucket, dataset, dt, 60_000);
    const runId = `itest-term-${uniqueSuffix()}`;
    // SIGTERM while the load's S3 read is held: the stop aborts the read too, or it would wait on it.
    const { child } = await startLoadAndWaitMidTransaction(runId);
    child.kill('SIGTERM');
    expect(await exited(child)).toEqual({ code: 143, signal: null });
    expect(await tableChecksums(pool, schema)).toEqual(before);
    const audit = () =>
      pool.query(`select status, message from ${schema}.load_audit where run_id = $1 order by started_at`, [runId]);
    expect((await audit()).rows).toEqual([{ status: 'failed', message: 'interrupted by SIGTERM' }]);
    // Airflow retries a task (and a user clears one) under the same run id: each attempt loads and
    // adds its own audit row beside the earlier ones.
    const argv = ['warehouse-load', '--dt', dt, '--dataset', dataset, '--schema', schema, '--run-id', runId];
    for (const attempt of ['the retry', 'a cleared task']) {
      const again = await runStepCli(argv, env);
      expect({ attempt, code: again.code, error: again.result.error }).toEqual({ attempt, code: 0, error: null });
      expect(again.result.counts.rows).toBe(60_000);
    }
    expect((await audit()).rows).toEqual([
      { status: 'failed', message: 'interrupted by SIGTERM' },
      { status: 'succeeded', message: null },
      { status: 'succeeded', message: null },
    ]);
  }, 180_000);
});
