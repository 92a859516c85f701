import { readFileSync } from 'node:fs';
import type { Pool, PoolClient } from '../clients/db';
import { InputRejectedError } from '../errors';
import type { Logger } from '../logger';
import { martsDdlFile, readMartQueries, type MartQuery } from './catalog';
import { describeDays, missingDays, type AnalysisRange } from './coverage';

export interface BuildOptions {
  dataset: string;
  /** The days this run answers for: each must hold facts. */
  dt: string;
  to: string;
  /** Schema of the star schema (fact_order_lines, dim_*). Validated identifier. */
  warehouseSchema: string;
  /** Schema of the marts. Validated identifier. */
  martsSchema: string;
  runId: string;
  /** postgres gets a larger work_mem for the build's sorts and hashes; Redshift manages its own. */
  dialect: 'postgres' | 'redshift';
  logger: Logger;
  throwIfStopped?: () => void;
  queries?: MartQuery[];
}

export interface MartOutcome {
  mart: string;
  file: string;
  rows: number;
  ms: number;
}

export interface BuildOutcome {
  /** What the marts cover: the dataset's loaded days, first to last. */
  range: AnalysisRange;
  /** Days inside the range without facts (a backfill in progress): weeks and months there are partial. */
  gaps: string[];
  factLines: number;
  realisedRevenue: string;
  marts: MartOutcome[];
}

/**
 * Rebuilds every mart of one dataset in one transaction: the DDL (idempotent), then for each
 * mart a delete of the dataset's rows and an insert from its query, then the build row. Other
 * datasets' rows are untouched; a failure leaves the previous marts in place.
 *
 * The marts always cover the dataset's loaded days, first to last, whichever date the run is for,
 * so runs for any dates in any order end in the same state once the same days are loaded.
 * @throws InputRejectedError when the dataset has no facts, or a day of `dt..to` has none (named).
 */
export async function buildMarts(pool: Pool, options: BuildOptions): Promise<BuildOutcome> {
  const { dataset, logger } = options;
  const queries = options.queries ?? readMartQueries();
  const client = await pool.connect();
  let broken = false;
  try {
    const ddl = readFileSync(martsDdlFile, 'utf8');
    const searchPath = `${options.martsSchema}, ${options.warehouseSchema}`;
    if (options.dialect === 'postgres') await createMartsOnce(client, options.martsSchema, searchPath, ddl);
    else await client.query(`create schema if not exists ${options.martsSchema}`);
    await client.query(`set search_path to ${searchPath}`);
    await client.query('begin');
    try {
      if (options.dialect !== 'postgres') await client.query(ddl);
      const loaded = await loadedDays(client, dataset);
      const { range, gaps } = coverage(dataset, options.dt, options.to, loaded);
      if (gaps.length) logger.warn({ gaps: describeDays(gaps) }, 'days without facts inside the range');
      if (options.dialect === 'postgres') await client.query(`set local work_mem = '${WORK_MEM}'`);
      const staged = await stageLines(client, options.martsSchema, dataset, range);
      logger.info(staged, 'order lines of the range staged');
      const marts: MartOutcome[] = [];
      for (const q of queries) {
        options.throwIfStopped?.();
        const started = Date.now();
        await client.query(`delete from ${q.mart} where dataset = $1`, [dataset]);
        const res = await client.query(`insert into ${q.mart}\n${q.sql}`, [dataset, range.from, range.to]);
        const outcome = { mart: q.mart, file: q.file, rows: res.rowCount ?? 0, ms: Date.now() - started };
        logger.info(outcome, 'mart built');
        marts.push(outcome);
      }
      const totals = await client.query<{ lines: string; revenue: string }>(
        'select count(*) as lines, coalesce(sum(revenue), 0) as revenue from order_lines where dataset = $1 and dt between cast($2 as date) and cast($3 as date)',
        [dataset, range.from, range.to],
      );
      const factLines = Number(totals.rows[0]!.lines);
      const realisedRevenue = String(totals.rows[0]!.revenue);
      await client.query('drop table order_lines'); // the temporary one: the view stays
      await client.query('delete from mart_build where dataset = $1', [dataset]);
      await client.query(
        'insert into mart_build (dataset, dt_from, dt_to, run_id, built_at, fact_lines, realised_revenue) values ($1, $2, $3, $4, current_timestamp, $5, $6)',
        [dataset, range.from, range.to, options.runId, factLines, realisedRevenue],
      );
      await client.query('commit');
      return { range, gaps, factLines, realisedRevenue, marts };
    } catch (error) {
      await client.query('rollback').catch(() => {
        broken = true;
      });
      throw error;
    }
  } catch (error) {
    broken ||= !(error instanceof InputRejectedError);
    throw error;
  } finally {
    // A client whose transaction may be in an unknown state never goes back to the pool.
    client.release(broken);
  }
}

/** Memory per sort or hash of the build on PostgreSQL (the step's own RSS does not grow with it). */
const WORK_MEM = '128MB';

/**
 * One scan of the fact and its dimensions for all the queries: the range's lines go to a
 * temporary table named like the view, which it shadows for this session (temporary relations are
 * found first on the search path, on PostgreSQL and Redshift alike), so every query reads the
 * joined lines instead of joining six tables again. Same rows, same columns: the view defines them.
 */
/**
 * PostgreSQL: the schema and the marts' DDL in a short transaction of their own, one build at a
 * time (a transaction-scoped advisory lock). Two first-ever builds at once would otherwise both
 * try to create the same schema or table, and the second would fail on the catalog's unique index.
 */
async function createMartsOnce(client: PoolClient, martsSchema: string, searchPath: string, ddl: string) {
  await client.query('begin');
  try {
    await client.query("select pg_advisory_xact_lock(hashtext('sales-pipeline marts ddl'))");
    await client.query(`create schema if not exists ${martsSchema}`);
    await client.query(`set local search_path to ${searchPath}`);
    await client.query(ddl);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
}

async function stageLines(client: PoolClient, martsSchema: string, dataset: string, range: AnalysisRange) {
  const started = Date.now();
  await client.query(`create temporary table order_lines as select * from ${martsSchema}.order_lines where 1 = 0`);
  const res = await client.query(
    `insert into order_lines select * from ${martsSchema}.order_lines where dataset = $1 and dt between cast($2 as date) and cast($3 as date)`,
    [dataset, range.from, range.to],
  );
  await client.query('analyze order_lines');
  return { lines: res.rowCount ?? 0, ms: Date.now() - started };
}

/** Every day of the dataset with facts, oldest first. */
async function loadedDays(client: PoolClient, dataset: string): Promise<string[]> {
  const res = await client.query<{ dt: string }>(
    "select to_char(dt, 'YYYY-MM-DD') as dt from fact_order_lines where dataset = $1 group by dt order by dt",
    [dataset],
  );
  return res.rows.map((r) => r.dt);
}

/**
 * The range a build covers and the gaps in it, or the error that names what is missing.
 * Pure: unit-tested without a database.
 */
export function coverage(dataset: string, dt: string, to: string, loaded: string[]) {
  if (!loaded.length) {
    throw new InputRejectedError(
      `dataset "${dataset}" has no facts in the warehouse: load it first (make history DATASET=${dataset} START=… END=…)`,
      { details: { dataset, dt, to } },
    );
  }
  const first = loaded[0]!;
  const last = loaded[loaded.length - 1]!;
  const missing = missingDays({ from: dt, to }, loaded);
  if (missing.length) {
    throw new InputRejectedError(
      `dataset "${dataset}" has no facts for ${missing.length} of the requested days: ${describeDays(missing)} ` +
        `(loaded: ${describeDays(loaded)}); load those days (warehouse-load) before the analysis`,
      { details: { dataset, missingDays: missing, loadedFrom: first, loadedTo: last } },
    );
  }
  const range = { from: first, to: last };
  return { range, gaps: missingDays(range, loaded) };
}
