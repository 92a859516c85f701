import { conditionColumns } from '../condition';
import type { Expectation } from '../suite';
import { AggregateCheck, TableCheck } from './aggregate';
import { ColumnMapCheck } from './column-map';
import { RowMapCheck } from './row-map';
import type { Check } from './types';

const ROW_WISE = new Set(['expect_column_values_to_be_unique']);

/** The evaluator for one (already validated) expectation. */
export function createCheck(e: Expectation): Check {
  switch (e.kind) {
    case 'table':
      return new TableCheck(e);
    case 'column_aggregate':
      return new AggregateCheck(e);
    case 'column_map':
      return ROW_WISE.has(e.type) ? new RowMapCheck(e) : new ColumnMapCheck(e);
    default:
      return new RowMapCheck(e);
  }
}

/** Every column a set of checks needs, their row conditions included (readers project to these). */
export function neededColumns(checks: Check[]): Set<string> {
  const cols = new Set<string>();
  for (const c of checks) {
    for (const name of c.columns) cols.add(name);
    if (c.expectation.condition) conditionColumns(c.expectation.condition, cols);
  }
  return cols;
}

export type { Check, FailSink, Outcome, SourceSchema } from './types';
