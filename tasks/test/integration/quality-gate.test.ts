import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPool, type Pool } from '../../src/clients/db';
import { createS3Client } from '../../src/clients/s3';
import { defaultEnvFile, readEnvFile } from '../../src/config';
import { repoRoot, runStepCli, stackConfig, uniqueSuffix } from './helpers';

const DT = '2022-04-30';
interface CaughtMail {
  subject: string;
  text: string;
  attachments?: { fileName?: string; filename?: string }[];
}

/** Silver partitions built from the real sample by the fixture builder (contract schema). */
function buildSilver(): string {
  const out = mkdtempSync(path.join(tmpdir(), 'silver-'));
  execFileSync(path.join(repoRoot, '.venv/bin/python'), [
    path.join(repoRoot, 'bench/quality/silver_fixture.py'),
    '--out',
    out,
  ]);
  return path.join(out, 'dataset=kaggle-sample', `dt=${DT}`);
}

async function text(s3: S3Client, uri: string): Promise<string> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri)!;
  return (await s3.send(new GetObjectCommand({ Bucket: m[1], Key: m[2] }))).Body!.transformToString();
}

describe('quality-gate', () => {
  const config = stackConfig();
  let s3: S3Client;
  let pool: Pool;
  const dataset = `itest-${uniqueSuffix()}`;
  beforeAll(async () => {
    s3 = createS3Client(config);
    pool = createPool(config);
    const dir = buildSilver();
    for (const name of readdirSync(dir)) {
      const key = `lake/silver/order_lines/dataset=${dataset}/dt=${DT}/${name}`;
      await s3.send(
        new PutObjectCommand({ Bucket: config.s3.bucket, Key: key, Body: readFileSync(path.join(dir, name)) }),
      );
    }
  }, 120_000);
  afterAll(async () => {
    s3.destroy();
    await pool.end();
  });

  it('passes the silver suite on silver built from the real sample, writing the report and one history row per expectation', async () => {
    const { code, result } = await runStepCli([
      'quality-gate',
      '--suite',
      'silver_order_lines',
      '--dt',
      DT,
      '--dataset',
      dataset,
    ]);
    expect(code).toBe(0);
    expect(result.counts.rows).toBe(1481);
    expect(result.details.summary.success).toBe(true);
    const validation = JSON.parse(await text(s3, result.details.summary.resultUri));
    expect(validation.success).toBe(true);
    const history = await pool.query(
      'select count(*)::int as n, bool_and(success or severity <> $2) as ok from quality.dq_results where run_id = $1',
      [result.runId, 'critical'],
    );
    expect(history.rows[0]).toEqual({ n: validation.results.length, ok: true });
  });

  it('keeps the history of every gate and date of one run id (an Airflow run gates several stages and dates)', async () => {
    const runId = `itest-shared-${uniqueSuffix()}`;
    const gate = (suite: string) =>
      runStepCli(['quality-gate', '--suite', suite, '--dt', DT, '--dataset', dataset, '--no-mail'], { RUN_ID: runId });
    const counts = async () =>
      (
        await pool.query(
          'select suite, count(*)::int as n from quality.dq_results where run_id = $1 group by suite order by suite',
          [runId],
        )
      ).rows;
    expect((await gate('silver_order_lines')).code).toBe(0);
    const failing = await gate('silver_order_lines_failing');
    expect(failing.code).toBe(1);
    const both = await counts();
    expect(both.map((r) => r.suite)).toEqual(['silver_order_lines', 'silver_order_lines_failing']);
    expect(both.every((r) => r.n > 0)).toBe(true);
    // A re-run of one gate under the same run id replaces its own rows only.
    expect((await gate('silver_order_lines')).code).toBe(0);
    expect(await counts()).toEqual(both);
  });

  it('fails the failing twin with exit 1, quarantines the failing rows and mails the report to the catcher', async () => {
    const { code, result } = await runStepCli([
      'quality-gate',
      '--suite',
      'silver_order_lines_failing',
      '--dt',
      DT,
      '--dataset',
      dataset,
    ]);
    expect(code).toBe(1);
    expect(result.error.name).toBe('GateFailedError');
    const summary = result.details.summary;
    expect(summary.failed.map((f: { type: string }) => f.type)).toEqual([
      'expect_column_values_to_not_be_null',
      'expect_column_values_to_be_in_set',
      'expect_column_values_to_be_between',
      'expect_table_row_count_to_be_between',
    ]);
    expect(result.details.reportUri).toMatch(
      new RegExp(`^s3://.+/reports/quality/silver_order_lines_failing/dt=${DT}/run_id=.+/report.html$`),
    );
    const html = await text(s3, result.details.reportUri);
    expect(html).toContain('FAILED');
    expect(html).toContain('sample failing rows');
    const failing = (await text(s3, summary.quarantineUri))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(failing).toHaveLength(summary.failingRows);
    const nullAmount = failing.filter((f) => f.failed_expectations.some((e: { index: number }) => e.index === 0));
    expect(nullAmount.length).toBe(summary.failed[0].unexpected);
    expect(nullAmount.every((f) => f.row.amount === null && f.row_id.source.endsWith('.parquet'))).toBe(true);

    const apiPort = Number(process.env.SMTP_HTTP_PORT ?? readEnvFile(defaultEnvFile).SMTP_HTTP_PORT ?? 11088);
    const mails = (await (await fetch(`http://127.0.0.1:${apiPort}/api/email`)).json()) as CaughtMail[];
    const mail = mails.find((m) => m.subject.includes('silver_order_lines_failing') && m.text.includes(dataset));
    expect(mail).toBeDefined();
    expect(mail!.text).toContain('stage silver');
    expect(mail!.text).toContain(`${summary.failed[0].unexpected} unexpected rows`);
    expect(mail!.attachments?.map((a) => a.fileName ?? a.filename)).toEqual(['report.html']);
  });

  it('sends ONE digest mail for a range run, listing each failed date (3 dates, 2 of them empty)', async () => {
    const { code, result } = await runStepCli([
      'quality-gate',
      '--suite',
      'silver_order_lines',
      '--dt',
      '2022-04-28',
      '--to',
      DT,
      '--dataset',
      dataset,
    ]);
    expect(code).toBe(1);
    expect(result.details.summary.map((s: { success: boolean }) => s.success)).toEqual([false, false, true]);
    const apiPort = Number(process.env.SMTP_HTTP_PORT ?? readEnvFile(defaultEnvFile).SMTP_HTTP_PORT ?? 11088);
    const mails = (await (await fetch(`http://127.0.0.1:${apiPort}/api/email`)).json()) as CaughtMail[];
    const mine = mails.filter((m) => m.subject.includes(`quality gate silver_order_lines FAILED: silver ${dataset} `));
    expect(mine.map((m) => m.subject)).toEqual([
      `[sales-pipeline] quality gate silver_order_lines FAILED: silver ${dataset} 2 dates 2022-04-28..2022-04-29 ` +
        `(${mine[0]?.subject.match(/\((\d+) critical/)?.[1]} critical expectations)`,
    ]);
    const text = mine[0]!.text;
    expect(text).toContain('FAILED for 2 of 3 dates at stage silver');
    expect(text).toContain('=== 2022-04-28 ===');
    expect(text).toContain('=== 2022-04-29 ===');
    expect(text).not.toContain(`=== ${DT} ===`);
    expect(text).toMatch(/expect_table_row_count_to_be_between: observed 0; expected/);
    expect(mine[0]!.attachments?.map((a) => a.fileName ?? a.filename)).toEqual([
      'report-2022-04-28.html',
      'report-2022-04-29.html',
    ]);
  });

  it('pushes the warehouse suite down to SQL on a fact table partition and fails it when a row breaks a rule', async () => {
    const schema = `itest_${uniqueSuffix().replace(/-/g, '_')}`;
    await pool.query(`create schema ${schema}`);
    await pool.query(`create table ${schema}.fact_order_lines as
      select 'kaggle-sample'::varchar as dataset, date '2022-04-30' as dt, o.order_id, 'SKU-' || g as sku, 1 as qty,
        500.00::numeric(12,2) as amount, 500.00::numeric(12,2) as gross_amount, 500.00::numeric(12,2) as realised_amount,
        0.00::numeric(12,2) as lost_amount, 0 as promo_count, false as is_b2b, false as is_cancelled, false as is_non_amazon,
        20220430 as date_key, g as product_key, 1 as location_key, 1 as fulfilment_key, 1 as status_key
      from generate_series(1, 40) g cross join lateral (select '405-' || lpad(g::text, 7, '0') || '-1234567' as order_id) o`);
    const args = [
      'quality-gate',
      '--suite',
      'warehouse_order_lines',
      '--dt',
      DT,
      '--source',
      `table:${schema}.fact_order_lines`,
      '--no-mail',
    ];
    expect((await runStepCli(args)).code).toBe(0);
    await pool.query(`update ${schema}.fact_order_lines set qty = 99 where product_key = 7`);
    const failed = await runStepCli(args);
    expect(failed.code).toBe(1);
    const qty = failed.result.details.summary.failed.find((f: { columns: string }) => f.columns === 'qty');
    expect(qty).toMatchObject({ type: 'expect_column_values_to_be_between', unexpected: 1 });
    await pool.query(`drop schema ${schema} cascade`);
  });

  it('refuses a malformed suite file with exit 2, naming the file', async () => {
    const { code, result } = await runStepCli([
      'quality-gate',
      '--suite',
      path.join(repoRoot, 'tasks/test/fixtures/quality/unknown_type.json'),
      '--dt',
      DT,
    ]);
    expect(code).toBe(2);
    expect(result.error.message).toMatch(
      /unknown_type\.json, expectation #1: unknown expectation type "expect_column_values_to_be_purple"/,
    );
  });
});
