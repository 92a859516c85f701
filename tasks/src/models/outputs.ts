import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inTransaction, type Pool, type PoolClient } from '../clients/db';
import { repoRoot } from '../paths';
import type { SeriesForecast } from './forecast';
import type { SegmentationResult } from './segmentation';

export const MODEL_TABLES_SQL = path.join(repoRoot, 'sql/marts/create_model_tables.sql');
const ROWS_PER_INSERT = 1000;

/** One model's row of marts.model_run. */
export interface ModelRun {
  model: 'forecast' | 'customer_segments' | 'product_segments';
  metrics: Record<string, unknown>;
  beatsBaseline: boolean | null;
}

export interface TrainTables {
  /** Schema of the model tables (the marts schema; a validated identifier). */
  schema: string;
  dataset: string;
  runId: string;
  trainedAt: Date;
  dataFrom: string;
  dataTo: string;
  reportUri: string;
  forecasts: SeriesForecast[];
  segments: SegmentationResult[];
  runs: ModelRun[];
  modelName: string;
}

/** The model tables' DDL (written for the schema `marts`) for the marts schema `schema`. */
export function modelTablesSql(schema: string): string {
  const sql = readFileSync(MODEL_TABLES_SQL, 'utf8');
  return schema === 'marts' ? sql : sql.replace(/\bmarts\b(?=[.;])/g, schema);
}

/** Multi-row INSERT with bound parameters, ROWS_PER_INSERT rows per statement. */
async function insertRows(client: PoolClient, table: string, columns: string[], rows: unknown[][]) {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    const params: unknown[] = [];
    const tuples = chunk.map((r) => `(${r.map((v) => `$${params.push(v)}`).join(', ')})`);
    await client.query(`insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`, params);
  }
}

const money = (v: number) => Math.round(v * 100) / 100;

function forecastRows(t: TrainTables): unknown[][] {
  const rows: unknown[][] = [];
  for (const f of t.forecasts) {
    const head = [t.dataset, t.runId, f.series, f.metric];
    const last = f.dates[f.dates.length - 1];
    f.dates.forEach((d, i) =>
      rows.push([...head, d, 'actual', money(f.values[i]!), null, null, null, null, last, t.modelName]),
    );
    const p = f.forecast;
    f.futureDates.forEach((d, i) =>
      rows.push([
        ...head,
        d,
        'forecast',
        money(p.point[i]!),
        money(p.lo80[i]!),
        money(p.hi80[i]!),
        money(p.lo95[i]!),
        money(p.hi95[i]!),
        last,
        t.modelName,
      ]),
    );
  }
  return rows;
}

/**
 * Creates the model tables if needed, then replaces the dataset's rows in all of them in one
 * transaction (other datasets untouched; a failure leaves the previous run's rows).
 */
export async function writeTables(pool: Pool, t: TrainTables): Promise<Record<string, number>> {
  await pool.query(modelTablesSql(t.schema));
  return inTransaction(pool, async (c) => {
    const tables = ['forecast_daily', 'customer_segment', 'product_segment', 'segment_profile', 'model_run'];
    for (const table of tables) await c.query(`delete from ${t.schema}.${table} where dataset = $1`, [t.dataset]);
    const fc = forecastRows(t);
    await insertRows(
      c,
      `${t.schema}.forecast_daily`,
      [
        'dataset',
        'run_id',
        'series',
        'metric',
        'dt',
        'kind',
        'value',
        'lo80',
        'hi80',
        'lo95',
        'hi95',
        'trained_through',
        'model',
      ],
      fc,
    );
    const counts: Record<string, number> = { forecast_daily: fc.length };
    const profiles: unknown[][] = [];
    for (const s of t.segments) {
      const table = s.kind === 'customer' ? 'customer_segment' : 'product_segment';
      const names = new Map(s.profiles.map((p) => [p.segmentId, p.name]));
      const rows = s.keys.map((k, i) => [
        t.dataset,
        t.runId,
        k,
        s.clustering.labels[i],
        names.get(s.clustering.labels[i]!),
      ]);
      await insertRows(
        c,
        `${t.schema}.${table}`,
        ['dataset', 'run_id', s.kind === 'customer' ? 'customer_key' : 'style', 'segment_id', 'segment_name'],
        rows,
      );
      counts[table] = rows.length;
      for (const p of s.profiles) {
        profiles.push([
          t.dataset,
          t.runId,
          s.kind,
          p.segmentId,
          p.name,
          p.members,
          p.realisedRevenue,
          p.description,
          JSON.stringify(p.means),
        ]);
      }
    }
    await insertRows(
      c,
      `${t.schema}.segment_profile`,
      [
        'dataset',
        'run_id',
        'kind',
        'segment_id',
        'segment_name',
        'members',
        'realised_revenue',
        'description',
        'features',
      ],
      profiles,
    );
    counts.segment_profile = profiles.length;
    const runs = t.runs.map((r) => [
      t.dataset,
      r.model,
      t.runId,
      t.trainedAt,
      t.dataFrom,
      t.dataTo,
      JSON.stringify(r.metrics).slice(0, 8192),
      r.beatsBaseline,
      t.reportUri,
    ]);
    await insertRows(
      c,
      `${t.schema}.model_run`,
      ['dataset', 'model', 'run_id', 'trained_at', 'data_from', 'data_to', 'metrics', 'beats_baseline', 'report_uri'],
      runs,
    );
    counts.model_run = runs.length;
    return counts;
  });
}
