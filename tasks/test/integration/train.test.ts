import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPool, type Pool } from '../../src/clients/db';
import { createS3Client } from '../../src/clients/s3';
import { runStepCli, stackConfig, uniqueSuffix } from './helpers';
import { createMarts, insertModelFixture } from './models-fixture';

const TO = '2022-06-29';
const TABLES = ['forecast_daily', 'customer_segment', 'product_segment', 'segment_profile', 'model_run'];

/** Every row of the dataset in each model table, minus the run's id and time (a re-run changes those). */
async function snapshot(pool: Pool, dataset: string, marts = 'marts') {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) {
    const r = await pool.query(`select * from ${marts}.${t} where dataset = $1`, [dataset]);
    out[t] = r.rows.map(({ run_id: _r, trained_at: _t, ...rest }) => JSON.stringify(rest)).sort();
  }
  return out;
}

describe('train', () => {
  const config = stackConfig();
  let pool: Pool;
  let s3: S3Client;
  const dataset = `itest-models-${uniqueSuffix()}`;
  const short = `itest-short-${uniqueSuffix()}`;
  const read = async (key: string) =>
    (await s3.send(new GetObjectCommand({ Bucket: config.s3.bucket, Key: key }))).Body!.transformToString();

  beforeAll(async () => {
    pool = createPool(config, 2);
    s3 = createS3Client(config);
    expect((await runStepCli(['warehouse-migrate'])).code).toBe(0);
    await createMarts(pool, config.warehouse.schema);
    await insertModelFixture(pool, dataset, TO, 91);
    await insertModelFixture(pool, short, '2022-04-30', 4);
  });
  afterAll(async () => {
    for (const t of [
      ...TABLES,
      'mart_build',
      'mart_sales_daily',
      'mart_category_daily',
      'features_customer_segments',
      'features_product_segments',
    ]) {
      await pool.query(`delete from marts.${t} where dataset = any($1)`, [[dataset, short]]).catch(() => undefined);
    }
    await pool.end();
    s3.destroy();
  });

  it('forecasts, segments, writes tables, artifacts with a latest pointer and the report; a re-run leaves identical tables', async () => {
    const { code, result } = await runStepCli(['train', '--dt', TO, '--dataset', dataset]);
    expect(result.error).toBeNull();
    expect(code).toBe(0);
    expect(result.details.forecast).toBe('trained');
    expect(result.counts).toMatchObject({
      forecast_daily: 8 * (91 + 14),
      customer_segment: 60,
      product_segment: 30,
      model_run: 3,
    });
    const fc = await pool.query(
      `select count(*)::int as n, min(dt)::text as first, bool_and(lo95 <= value and value <= hi95 and lo80 >= lo95 and hi80 <= hi95)::text as ok
         from marts.forecast_daily where dataset = $1 and kind = 'forecast' and series = 'total' and metric = 'revenue'`,
      [dataset],
    );
    expect(fc.rows[0]).toEqual({ n: 14, first: '2022-06-30', ok: 'true' });
    const runs = await pool.query(
      `select model, beats_baseline, metrics from marts.model_run where dataset = $1 order by model`,
      [dataset],
    );
    expect(runs.rows.map((r) => r.model)).toEqual(['customer_segments', 'forecast', 'product_segments']);
    const forecastRun = runs.rows[1];
    const headline = JSON.parse(forecastRun.metrics).series[0];
    expect(headline).toMatchObject({ series: 'total', metric: 'revenue', folds: 8 });
    expect(forecastRun.beats_baseline).toBe(headline.mase < headline.seasonal_naive_mase);
    expect(headline.mase).toBeLessThan(headline.naive_mase);
    expect(JSON.parse(runs.rows[0].metrics)).toMatchObject({ k: 3, stability_mean_ari: 1 });
    const names = await pool.query(`select distinct segment_name from marts.customer_segment where dataset = $1`, [
      dataset,
    ]);
    expect(names.rows).toHaveLength(3);
    for (const { segment_name } of names.rows) expect(segment_name).toMatch(/^(high|mid|low)-value .*buyers$/);

    for (const model of ['forecast', 'customer_segments', 'product_segments']) {
      const latest = JSON.parse(await read(`models/${model}/dataset=${dataset}/latest`));
      expect(latest.run_id).toBe(result.runId);
      const prefix = `models/${model}/dataset=${dataset}/run_id=${result.runId}`;
      const input = JSON.parse(await read(`${prefix}/input.json`));
      expect(input).toMatchObject({
        dataset,
        data_from: '2022-03-31',
        data_to: TO,
        snapshot_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      });
      for (const f of ['params', 'metrics', 'feature_schema'])
        expect(JSON.parse(await read(`${prefix}/${f}.json`))).toBeTruthy();
    }
    const html = await read(`reports/models/dataset=${dataset}/dt=${TO}/index.html`);
    // backtest, total revenue and units forecasts, customer and product segments.
    expect(html.match(/<svg/g)?.length).toBe(5);
    const md = await read(`reports/models/dataset=${dataset}/dt=${TO}/models.md`);
    expect(md).toContain(`Trained on dataset **${dataset}**, 2022-03-31..${TO}`);
    expect(md).toContain(`the model ${forecastRun.beats_baseline ? 'beats' : 'does not beat'} seasonal-naive`);

    const before = await snapshot(pool, dataset);
    const again = await runStepCli(['train', '--dt', TO, '--dataset', dataset]);
    expect(again.code).toBe(0);
    expect(again.result.runId).not.toBe(result.runId);
    expect(await snapshot(pool, dataset)).toEqual(before);
    const latest = JSON.parse(await read(`models/forecast/dataset=${dataset}/latest`));
    expect(latest.run_id).toBe(again.result.runId);
  });

  it('refuses a series shorter than 21 days (exit 1), or skips only the forecast with --short-series skip', async () => {
    const refused = await runStepCli(['train', '--dt', '2022-04-30', '--dataset', short]);
    expect(refused.code).toBe(1);
    expect(refused.result.error.message).toBe(
      'series too short (4 days < 21): 2022-04-27..2022-04-30 has fewer than three weekly seasons to forecast from',
    );
    expect((await snapshot(pool, short)).model_run).toEqual([]);

    const skipped = await runStepCli(['train', '--dt', '2022-04-30', '--dataset', short, '--short-series', 'skip']);
    expect(skipped.code).toBe(0);
    expect(skipped.result.details.forecast).toBe(
      'skipped: series too short (4 days < 21): 2022-04-27..2022-04-30 has fewer than three weekly seasons to forecast from',
    );
    const tables = await snapshot(pool, short);
    expect(tables.forecast_daily).toEqual([]);
    expect(tables.customer_segment).toHaveLength(60);
    const run = await pool.query(
      `select metrics, beats_baseline from marts.model_run where dataset = $1 and model = 'forecast'`,
      [short],
    );
    expect(run.rows[0].beats_baseline).toBeNull();
    expect(JSON.parse(run.rows[0].metrics).skipped).toMatch(/^series too short \(4 days < 21\)/);
  });

  it('reads the marts of --marts-schema and writes the model tables there, not in marts', async () => {
    const marts = `itest_marts_${uniqueSuffix().replace(/[^a-z0-9]/g, '_')}`;
    const other = `itest-other-${uniqueSuffix()}`;
    try {
      await createMarts(pool, config.warehouse.schema, marts);
      await insertModelFixture(pool, other, '2022-04-30', 4, marts);
      const args = ['train', '--dt', '2022-04-30', '--dataset', other, '--short-series', 'skip'];
      // Without the flag the step looks in marts, where the dataset has no build, and says where it looked.
      const missing = await runStepCli(args);
      expect(missing.code).toBe(1);
      expect(missing.result.error.message).toContain(`no analysis build for dataset "${other}" in marts.mart_build`);
      const { code, result } = await runStepCli([...args, '--marts-schema', marts]);
      expect(result.error).toBeNull();
      expect(code).toBe(0);
      expect(result.inputs.map((i: { uri: string }) => i.uri)).toEqual([
        `table:${marts}.features_customer_segments`,
        `table:${marts}.features_product_segments`,
      ]);
      const tables = await snapshot(pool, other, marts);
      expect(tables.customer_segment).toHaveLength(60);
      expect(tables.model_run).toHaveLength(3);
      expect(Object.values(await snapshot(pool, other)).flat()).toEqual([]);
    } finally {
      await pool.query(`drop schema if exists ${marts} cascade`);
    }
  });

  it('fails the feature gate (exit 1) before training on a bad feature row', async () => {
    await pool.query(
      `update marts.features_customer_segments set cancel_rate = 1.5 where dataset = $1 and customer_key = '110001'`,
      [short],
    );
    const { code, result } = await runStepCli([
      'train',
      '--dt',
      '2022-04-30',
      '--dataset',
      short,
      '--short-series',
      'skip',
    ]);
    expect(code).toBe(1);
    expect(result.error.name).toBe('GateFailedError');
    expect(result.error.message).toContain('expect_column_values_to_be_between(cancel_rate)');
  });
});
