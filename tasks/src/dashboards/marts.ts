import type { Pool } from '../clients/db';
import { InputRejectedError } from '../errors';

export interface MartCoverage {
  dataset: string;
  dtFrom: string;
  dtTo: string;
  days: number;
  builtAt: string;
}

/**
 * What the marts (schema `schema`, already checked as a name) hold for a dataset: its latest
 * analysis build and its daily sales rows.
 * @throws InputRejectedError (exit 1) naming the cause when there is nothing to show.
 */
export async function martCoverage(pool: Pool, dataset: string, schema = 'marts'): Promise<MartCoverage> {
  const { rows: tables } = await pool.query<{ build: string | null; daily: string | null }>(
    'select to_regclass($1)::text as build, to_regclass($2)::text as daily',
    [`${schema}.mart_build`, `${schema}.mart_sales_daily`],
  );
  // How to rebuild these marts: the analysis step, told the schema when it is not the default.
  const hint = schema === 'marts' ? '' : ` ARGS="--marts-schema ${schema}"`;
  if (!tables[0]?.build || !tables[0]?.daily) {
    throw new InputRejectedError(
      `the warehouse has no marts (schema ${schema}): run the analysis step first, e.g. make task-analysis${hint}`,
      { details: { dataset, schema } },
    );
  }
  const { rows } = await pool.query<{ dt_from: string; dt_to: string; built_at: string; days: string }>(
    `select b.dt_from::text as dt_from, b.dt_to::text as dt_to, b.built_at::text as built_at,
            (select count(*) from ${schema}.mart_sales_daily d where d.dataset = b.dataset) as days
       from ${schema}.mart_build b where b.dataset = $1 order by b.built_at desc limit 1`,
    [dataset],
  );
  const build = rows[0];
  if (!build || Number(build.days) === 0) {
    throw new InputRejectedError(
      `the marts hold no rows for dataset "${dataset}" (${schema}.mart_build / ${schema}.mart_sales_daily): ` +
        `run the analysis step for it first, e.g. make task-analysis${hint}`,
      { details: { dataset, schema } },
    );
  }
  return { dataset, dtFrom: build.dt_from, dtTo: build.dt_to, days: Number(build.days), builtAt: build.built_at };
}
