import type { Pool } from '../clients/db';
import { inTransaction } from '../clients/db';
import type { ValidationResult } from './result';

/**
 * `quality.dq_results`: one row per expectation per quality-gate run, for the dashboard's
 * data-quality page. The DDL uses only what PostgreSQL and Redshift both accept (no identity, no
 * jsonb, no text type; varchar(65535) is Redshift's longest; primary keys are informational there).
 */
/** One row per expectation of one gate's validation of one (dataset, dt) within a run. */
const KEY = 'constraint dq_results_check_pk primary key (run_id, suite, dataset, dt, expectation_index)';

export const DQ_RESULTS_DDL = [
  'create schema if not exists quality',
  `create table if not exists quality.dq_results (
    run_id varchar(256) not null,
    suite varchar(128) not null,
    stage varchar(32) not null,
    dataset varchar(64) not null,
    dt date not null,
    expectation_index integer not null,
    expectation_type varchar(128) not null,
    columns_checked varchar(1024),
    severity varchar(16) not null,
    success boolean not null,
    element_count bigint,
    unexpected_count bigint,
    unexpected_percent double precision,
    observed_value varchar(4096),
    kwargs varchar(65535),
    report_uri varchar(1024),
    validated_at timestamp not null,
    ${KEY}
  )`,
];

/**
 * Tables made before the key held the suite, dataset and date had the primary key (run_id,
 * expectation_index), which let one gate's rows stand for a whole Airflow run: it is replaced.
 */
const OLD_KEY = 'dq_results_pkey';

export interface HistoryRun {
  runId: string;
  suite: string;
  stage: string;
  dataset: string;
  dt: string;
  reportUri: string | null;
  validatedAt: Date;
}

/**
 * Creates the schema and table when missing (a concurrent creator winning the race is fine), and
 * gives a table made with the old primary key the new one.
 */
export async function ensureHistoryTable(pool: Pool): Promise<void> {
  for (const sql of DQ_RESULTS_DDL) {
    try {
      await pool.query(sql);
    } catch (error) {
      // 23505/42P06/42P07: another run created it between our check and our create.
      if (!['23505', '42P06', '42P07'].includes((error as { code?: string }).code ?? '')) throw error;
    }
  }
  const old = await pool.query(
    `select 1 from pg_constraint c join pg_class t on t.oid = c.conrelid
       join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = 'quality' and t.relname = 'dq_results' and c.conname = $1`,
    [OLD_KEY],
  );
  if (old.rowCount) {
    await inTransaction(pool, async (client) => {
      await client.query(`alter table quality.dq_results drop constraint ${OLD_KEY}`);
      await client.query(`alter table quality.dq_results add ${KEY}`);
    });
  }
}

const columnsOf = (k: Record<string, unknown>) =>
  [k.column, k.column_A, k.column_B, ...((k.column_list as string[] | undefined) ?? [])].filter(Boolean).join(',') ||
  null;

/** The history rows of one run (pure, unit-tested). */
export function historyRows(v: ValidationResult, run: HistoryRun): unknown[][] {
  return v.results.map((r, i) => {
    const res = r.result;
    const observed =
      'observed_value' in res ? JSON.stringify(res.observed_value) : (r.exception_info.exception_message ?? null);
    return [
      run.runId,
      run.suite,
      run.stage,
      run.dataset,
      run.dt,
      i,
      r.expectation_config.type,
      columnsOf(r.expectation_config.kwargs),
      r.expectation_config.severity,
      r.success,
      typeof res.element_count === 'number' ? res.element_count : null,
      typeof res.unexpected_count === 'number' ? res.unexpected_count : null,
      typeof res.unexpected_percent === 'number' ? res.unexpected_percent : null,
      observed === null ? null : observed.slice(0, 4096),
      JSON.stringify(r.expectation_config.kwargs).slice(0, 65535),
      run.reportUri,
      run.validatedAt,
    ];
  });
}

/**
 * Replaces the rows of this gate's validation (run, suite, dataset, dt) in one transaction: a re-run
 * with the same run id leaves one copy. An Airflow run id is shared by every gate of the DAG run and
 * by every date of a range, so the run id alone would let each gate erase the ones before it.
 */
export async function writeHistory(pool: Pool, v: ValidationResult, run: HistoryRun): Promise<number> {
  await ensureHistoryTable(pool);
  const rows = historyRows(v, run);
  await inTransaction(pool, async (client) => {
    await client.query('delete from quality.dq_results where run_id = $1 and suite = $2 and dataset = $3 and dt = $4', [
      run.runId,
      run.suite,
      run.dataset,
      run.dt,
    ]);
    for (let start = 0; start < rows.length; start += 50) {
      const chunk = rows.slice(start, start + 50);
      const width = chunk[0]!.length;
      const values = chunk.map(
        (_r, j) => `(${Array.from({ length: width }, (_x, c) => `$${j * width + c + 1}`).join(', ')})`,
      );
      await client.query(
        `insert into quality.dq_results (run_id, suite, stage, dataset, dt, expectation_index, expectation_type,
          columns_checked, severity, success, element_count, unexpected_count, unexpected_percent, observed_value,
          kwargs, report_uri, validated_at) values ${values.join(', ')}`,
        chunk.flat(),
      );
    }
  });
  return rows.length;
}
