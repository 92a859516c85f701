import type { Pool } from '../clients/db';
import { InputRejectedError } from '../errors';
import { tableOutcome, metricBetween } from './checks/aggregate';
import { dtypeVerdict } from './checks/types-of';
import { keepFor, mostlySuccess, type Outcome } from './checks/types';
import type { FailingRow, Validation, ValidateOptions } from './engine';
import { toExpectationResult, toValidationResult } from './result';
import { conditionSql, Params, quoteIdent } from './sql-condition';
import { aggregateSql, mapPlan } from './sql-plan';
import type { Expectation, Suite } from './suite';
import { toJsonValue } from './values';

/** Most failing rows exported per expectation from a table (a partition is a day, ~1,400 rows). */
export const MAX_EXPORT_ROWS = 100_000;

const PG_DTYPES: Record<string, string> = {
  smallint: 'int16',
  integer: 'int32',
  bigint: 'int64',
  real: 'float32',
  'double precision': 'float64',
  boolean: 'bool',
};

export interface TableFilter {
  dataset?: string | undefined;
  dt: string;
  to: string;
}

/**
 * Validates a suite against one partition of a warehouse table, pushing every expectation down as
 * SQL aggregates (counts, sums, group-bys) so only numbers and a few sample values leave the
 * warehouse; failing rows are fetched only for expectations that failed.
 * @throws InputRejectedError when the table does not exist or its name is not `schema.table`.
 */
export async function validateTable(
  pool: Pool,
  suite: Suite,
  table: string,
  filter: TableFilter,
  options: ValidateOptions = {},
): Promise<Validation> {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(table);
  if (!m) throw new InputRejectedError(`table "${table}" must be schema.table (letters, digits, _)`);
  const info = await pool.query<{ column_name: string; data_type: string }>(
    'select column_name, data_type from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position',
    [m[1], m[2]],
  );
  if (!info.rows.length) throw new InputRejectedError(`table ${table} not found (or it has no columns)`);
  const columns = info.rows.map((r) => r.column_name);
  const known = new Set(columns);
  const dtypes = new Map(info.rows.map((r) => [r.column_name, PG_DTYPES[r.data_type] ?? 'object']));
  const from = `${quoteIdent(m[1]!)}.${quoteIdent(m[2]!)}`;
  const baseWhere = (p: Params) => {
    const parts = ['true'];
    if (known.has('dataset') && filter.dataset) parts.push(`"dataset" = ${p.add(filter.dataset)}`);
    if (known.has('dt')) parts.push(`"dt" between ${p.add(filter.dt)} and ${p.add(filter.to)}`);
    return parts.join(' and ');
  };
  const total = await scalar(
    pool,
    `select count(*) as v from ${from} where ${baseWhere(new Params())}`,
    new Params(),
    baseWhere,
  );
  let failingRows = 0;
  const results = [];
  for (const e of suite.expectations) {
    options.throwIfStopped?.();
    try {
      const { outcome, failing } = await evaluate(pool, e, from, baseWhere, known, columns, dtypes);
      results.push(toExpectationResult(e, outcome));
      for (const row of failing) {
        failingRows++;
        await options.onFailingRow?.(row);
      }
    } catch (error) {
      results.push(toExpectationResult(e, { error: (error as Error).message }));
    }
  }
  const result = toValidationResult(suite, results, { data: `table:${table}`, rows: total, ...options.meta });
  return { result, rows: Number(total), failingRows };
}

async function scalar(pool: Pool, sql: string, p: Params, base?: (p: Params) => string): Promise<number> {
  const values = base && !p.values.length ? (base(p), p.values) : p.values;
  const r = await pool.query<{ v: string | number | null }>(sql, values);
  return Number(r.rows[0]?.v ?? 0);
}

async function evaluate(
  pool: Pool,
  e: Expectation,
  from: string,
  baseWhere: (p: Params) => string,
  known: Set<string>,
  columns: string[],
  dtypes: Map<string, string>,
): Promise<{ outcome: Outcome; failing: FailingRow[] }> {
  const domain = (p: Params) => baseWhere(p) + (e.condition ? ` and ${conditionSql(e.condition, p, known)}` : '');
  if (e.kind === 'table') {
    const p = new Params();
    const rows =
      e.type === 'expect_table_row_count_to_be_between'
        ? await scalar(pool, `select count(*) as v from ${from} where ${domain(p)}`, p)
        : 0;
    return { outcome: tableOutcome(e, columns, rows), failing: [] };
  }
  if (e.kind === 'column_aggregate') {
    const col = String(e.kwargs.column);
    if (!known.has(col)) throw new Error(`column "${col}" not found in the table`);
    const p = new Params();
    const r = await pool.query<{ v: unknown }>(
      `select ${aggregateSql(e)} as v from ${from} where ${domain(p)}`,
      p.values,
    );
    const raw = r.rows[0]?.v ?? null;
    const observed = typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : toJsonValue(raw);
    return {
      outcome: { shape: 'value', success: metricBetween(observed, e.kwargs), observedValue: observed },
      failing: [],
    };
  }
  if (e.type === 'expect_column_values_to_be_of_type') {
    const col = String(e.kwargs.column);
    if (!known.has(col)) throw new Error(`column "${col}" not found in the table`);
    const nulls = await scalar(
      pool,
      `select count(*) as v from ${from} where ${baseWhere(new Params())} and ${quoteIdent(col)} is null`,
      new Params(),
      baseWhere,
    );
    const verdict = dtypeVerdict({ columns, dtypes, nullCounts: new Map([[col, nulls]]) }, col, String(e.kwargs.type_));
    const dtype = dtypes.get(col) ?? 'object';
    return {
      outcome: verdict
        ? { shape: 'value', success: verdict.success, observedValue: verdict.observed }
        : { shape: 'value', success: e.kwargs.type_ === 'str', observedValue: dtype },
      failing: [],
    };
  }
  const plan = mapPlan(e, baseWhere, known)!;
  const p = plan.params;
  const keys = (plan.groupBy ?? []).map(quoteIdent).join(', ');
  const dupes = plan.groupBy
    ? `(${keys}) in (select ${keys} from ${from} where ${plan.domain} and ${plan.considered} group by ${keys} having count(*) > 1)`
    : null;
  const bad = dupes ? `(${plan.considered}) and ${dupes}` : plan.unexpected;
  const counts = await pool.query<{ element_count: string; considered: string; unexpected: string }>(
    `select count(*) as element_count,
       coalesce(sum(case when ${plan.considered} then 1 else 0 end), 0) as considered,
       coalesce(sum(case when ${bad} then 1 else 0 end), 0) as unexpected
     from ${from} where ${plan.domain}`,
    p.values,
  );
  const c = counts.rows[0]!;
  const [elements, considered, unexpected] = [Number(c.element_count), Number(c.considered), Number(c.unexpected)];
  const nullCheck = e.type === 'expect_column_values_to_not_be_null' || e.type === 'expect_column_values_to_be_null';
  let failing: FailingRow[] = [];
  let values: unknown[] = [];
  if (unexpected > 0) {
    const rows = await pool.query(
      `select * from ${from} where ${plan.domain} and ${bad} limit ${Math.max(keepFor(e), MAX_EXPORT_ROWS)}`,
      p.values,
    );
    values = rows.rows
      .slice(0, keepFor(e))
      .map((r) =>
        plan.columns.length === 1 ? toJsonValue(r[plan.columns[0]!]) : plan.columns.map((col) => toJsonValue(r[col])),
      );
    failing = rows.rows.map((r, i) => ({
      row_id: { index: i, source: from, row: null },
      failed_expectations: [{ index: e.index, type: e.type, severity: e.severity, columns: plan.columns }],
      row: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, toJsonValue(v)])),
      partial_row: false,
    }));
  }
  const consideredCount = nullCheck ? elements : considered;
  return {
    outcome: {
      shape: 'map',
      success:
        elements === 0 || mostlySuccess(consideredCount, unexpected, (e.kwargs.mostly as number | undefined) ?? 1),
      elementCount: elements,
      consideredCount: nullCheck ? null : considered,
      unexpectedCount: unexpected,
      unexpectedValues: values,
      unexpectedIndexes: [],
      truncated: unexpected > values.length,
    },
    failing,
  };
}
