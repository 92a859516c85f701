import type { Expectation } from './suite';
import { conditionSql, Params, quoteIdent } from './sql-condition';

/**
 * How one map expectation reads in SQL over a table: which rows are in its domain (partition filter
 * and row_condition), which it considers (GX's null handling), and which are unexpected. Every
 * predicate is two-valued; every value is a bound parameter.
 */
export interface MapPlan {
  params: Params;
  domain: string;
  considered: string;
  unexpected: string;
  /** Columns whose values are reported (partial_unexpected_list). */
  columns: string[];
  /** Uniqueness: the key columns grouped to find duplicates. */
  groupBy?: string[];
}

const q = quoteIdent;

function betweenSql(col: string, k: Record<string, unknown>, p: Params): string {
  const parts: string[] = [];
  if (k.min_value != null) parts.push(`${col} ${k.strict_min ? '>' : '>='} ${p.add(k.min_value)}`);
  if (k.max_value != null) parts.push(`${col} ${k.strict_max ? '<' : '<='} ${p.add(k.max_value)}`);
  return parts.join(' and ') || 'true';
}

/**
 * The SQL plan of a map expectation, or null for the kinds computed otherwise (table shape,
 * aggregates, schema-level type checks).
 * @throws Error on an identifier that is not a plain name or a column the table lacks.
 */
export function mapPlan(e: Expectation, baseWhere: (p: Params) => string, known: Set<string>): MapPlan | null {
  if (e.kind === 'table' || e.kind === 'column_aggregate' || e.type === 'expect_column_values_to_be_of_type')
    return null;
  const k = e.kwargs;
  const p = new Params();
  const cols =
    e.kind === 'pair_map'
      ? [String(k.column_A), String(k.column_B)]
      : e.kind === 'multicolumn_map'
        ? (k.column_list as string[])
        : [String(k.column)];
  for (const c of cols) if (!known.has(c)) throw new Error(`column "${c}" not found in the table`);
  const quoted = cols.map(q);
  let domain = baseWhere(p);
  if (e.condition) domain += ` and ${conditionSql(e.condition, p, known)}`;
  const [a, b] = quoted as [string, string];
  const nulls = quoted.map((c) => `${c} is null`);
  const plan = (considered: string, test: string, groupBy?: string[]): MapPlan => ({
    params: p,
    domain,
    considered,
    unexpected: `(${considered}) and not (${test})`,
    columns: cols,
    ...(groupBy ? { groupBy } : {}),
  });
  switch (e.type) {
    case 'expect_column_values_to_not_be_null':
      return plan('true', `${a} is not null`);
    case 'expect_column_values_to_be_null':
      return plan('true', `${a} is null`);
    case 'expect_column_values_to_be_in_set': {
      const values = (k.value_set as unknown[]).map((v) => p.add(v));
      return plan(`${a} is not null`, values.length ? `coalesce(${a} in (${values.join(', ')}), false)` : 'false');
    }
    case 'expect_column_values_to_be_between':
      return plan(`${a} is not null`, `coalesce(${betweenSql(a, k, p)}, false)`);
    case 'expect_column_values_to_match_regex':
      // POSIX regex search: PostgreSQL and Redshift both have `~`; GX uses Python's re.search.
      return plan(`${a} is not null`, `coalesce(cast(${a} as varchar) ~ ${p.add(k.regex)}, false)`);
    case 'expect_column_values_to_be_unique':
      return plan(`${a} is not null`, 'true', cols);
    case 'expect_compound_columns_to_be_unique':
      return plan(ignoreSql(e, nulls), 'true', cols);
    case 'expect_column_pair_values_to_be_equal':
      return plan(ignoreSql(e, nulls), `coalesce(${a} = ${b}, false)`);
    case 'expect_column_pair_values_a_to_be_greater_than_b':
      return plan(ignoreSql(e, nulls), `coalesce(${a} ${k.or_equal ? '>=' : '>'} ${b}, false)`);
    case 'expect_multicolumn_sum_to_equal':
      return plan(ignoreSql(e, nulls), `coalesce(${quoted.join(' + ')} = ${p.add(k.sum_total)}, false)`);
    default:
      throw new Error(`no SQL plan for ${e.type}`);
  }
}

function ignoreSql(e: Expectation, nulls: string[]): string {
  const ignore =
    (e.kwargs.ignore_row_if as string | undefined) ??
    (e.kind === 'pair_map' ? 'both_values_are_missing' : 'all_values_are_missing');
  if (ignore === 'neither' || ignore === 'never') return 'true';
  if (ignore === 'either_value_is_missing' || ignore === 'any_value_is_missing') return `not (${nulls.join(' or ')})`;
  return `not (${nulls.join(' and ')})`;
}

/** The aggregate SQL expression of a column aggregate expectation. */
export function aggregateSql(e: Expectation): string {
  const c = q(String(e.kwargs.column));
  switch (e.type) {
    case 'expect_column_mean_to_be_between':
      return `avg(cast(${c} as double precision))`;
    case 'expect_column_sum_to_be_between':
      return `coalesce(sum(${c}), 0)`;
    case 'expect_column_min_to_be_between':
      return `min(${c})`;
    case 'expect_column_max_to_be_between':
      return `max(${c})`;
    default:
      return `case when count(${c}) = 0 then 0 else cast(count(distinct ${c}) as double precision) / count(${c}) end`;
  }
}
