import type { Batch, BoundPredicate } from '../batch';
import { CompactHashSet } from '../hashset';
import type { Expectation } from '../suite';
import { compare, isMissing, keyOf, toJsonValue, toNumber } from '../values';
import { betweenTest } from './column-map';
import type { Check, Outcome, SourceSchema } from './types';

/** GX's `_validate_metric_value_between`: a missing (NaN/None) metric fails, else the bounds decide. */
export function metricBetween(value: unknown, k: Record<string, unknown>): boolean {
  if (isMissing(value)) return false;
  return betweenTest(k)(value);
}

/**
 * Column aggregates over the non-missing values: mean, sum (Neumaier-compensated, so a million
 * decimal amounts add up to the cent), min, max, and the proportion of distinct values.
 */
export class AggregateCheck implements Check {
  readonly columns: string[];
  private readonly column: string;
  private count = 0;
  private sum = 0;
  private carry = 0;
  private min: unknown = undefined;
  private max: unknown = undefined;
  private nonNumeric = false;
  private readonly distinct: CompactHashSet | null;
  private missingColumn = false;

  constructor(readonly expectation: Expectation) {
    this.column = String(expectation.kwargs.column);
    this.columns = [this.column];
    this.distinct =
      expectation.type === 'expect_column_proportion_of_unique_values_to_be_between' ? new CompactHashSet() : null;
  }

  update(batch: Batch, domain: BoundPredicate | null): void {
    const values = batch.columns.get(this.column);
    if (!values) {
      if (batch.length) this.missingColumn = true;
      return;
    }
    const wantsNumber =
      this.expectation.type === 'expect_column_mean_to_be_between' ||
      this.expectation.type === 'expect_column_sum_to_be_between';
    for (let i = 0; i < batch.length; i++) {
      if (domain && !domain(i)) continue;
      const v = values[i];
      if (isMissing(v)) continue;
      this.count++;
      if (this.distinct) this.distinct.add(`${typeof v === 'string' ? 's' : 'v'}:${keyOf(v)}`, 0);
      else if (wantsNumber) {
        const n = toNumber(v);
        if (n === undefined) {
          this.nonNumeric = true;
          continue;
        }
        const t = this.sum + n;
        this.carry += Math.abs(this.sum) >= Math.abs(n) ? this.sum - t + n : n - t + this.sum;
        this.sum = t;
      } else {
        if (this.min === undefined || (compare(v, this.min) ?? 0) < 0) this.min = v;
        if (this.max === undefined || (compare(v, this.max) ?? 0) > 0) this.max = v;
      }
    }
  }

  finish(schema: SourceSchema): Outcome {
    if (this.missingColumn || (schema.columns.length > 0 && !schema.columns.includes(this.column))) {
      return {
        shape: 'value',
        success: false,
        observedValue: null,
        details: { error: `column "${this.column}" not found` },
      };
    }
    if (this.nonNumeric) {
      return {
        shape: 'value',
        success: false,
        observedValue: null,
        details: { error: `column "${this.column}" holds non-numeric values` },
      };
    }
    let observed: unknown;
    switch (this.expectation.type) {
      case 'expect_column_mean_to_be_between':
        observed = this.count ? (this.sum + this.carry) / this.count : null;
        break;
      case 'expect_column_sum_to_be_between':
        observed = Math.round((this.sum + this.carry) * 1e6) / 1e6;
        break;
      case 'expect_column_min_to_be_between':
        observed = this.min ?? null;
        break;
      case 'expect_column_max_to_be_between':
        observed = this.max ?? null;
        break;
      default:
        // GX: distinct non-null values / non-null values, 0 when there are none.
        observed = this.count ? this.distinct!.size / this.count : 0;
    }
    return {
      shape: 'value',
      success: metricBetween(observed, this.expectation.kwargs),
      observedValue: toJsonValue(observed),
    };
  }
}

/** Expectations on the table as a whole: its row count and its columns. */
export class TableCheck implements Check {
  readonly columns: string[] = [];
  private rows = 0;

  constructor(readonly expectation: Expectation) {}

  update(batch: Batch, domain: BoundPredicate | null): void {
    if (!domain) this.rows += batch.length;
    else for (let i = 0; i < batch.length; i++) if (domain(i)) this.rows++;
  }

  finish(schema: SourceSchema): Outcome {
    return tableOutcome(this.expectation, schema.columns, this.rows);
  }
}

/** The verdict of a table expectation from the column list and the row count (SQL reuses it). */
export function tableOutcome(e: Expectation, actual: string[], rows: number): Outcome {
  const k = e.kwargs;
  switch (e.type) {
    case 'expect_table_row_count_to_be_between':
      return { shape: 'value', success: metricBetween(rows, k), observedValue: rows };
    case 'expect_table_columns_to_match_set': {
      const expected = new Set(k.column_set as string[]);
      const got = new Set(actual);
      const unexpected = [...got].filter((c) => !expected.has(c)).sort();
      const missing = [...expected].filter((c) => !got.has(c)).sort();
      const exact = k.exact_match !== false;
      const success = missing.length === 0 && (!exact || unexpected.length === 0);
      const mismatched: Record<string, string[]> = {};
      if (unexpected.length) mismatched.unexpected = unexpected;
      if (missing.length) mismatched.missing = missing;
      const details = Object.keys(mismatched).length ? { mismatched } : undefined;
      return { shape: 'value', success, observedValue: [...got].sort(), ...(details ? { details } : {}) };
    }
    case 'expect_table_columns_to_match_ordered_list': {
      const expected = k.column_list as string[];
      const n = Math.max(expected.length, actual.length);
      const mismatched = [];
      for (let i = 0; i < n; i++) {
        if (expected[i] !== actual[i])
          mismatched.push({ 'Expected Column Position': i, Expected: expected[i] ?? null, Found: actual[i] ?? null });
      }
      return {
        shape: 'value',
        success: mismatched.length === 0,
        observedValue: actual,
        ...(mismatched.length ? { details: { mismatched } } : {}),
      };
    }
    default: {
      // expect_column_to_exist
      const index = k.column_index as number | null | undefined;
      // GX tests `if column_index:`, so index 0 falls back to "anywhere".
      const success = index ? actual[index] === k.column : actual.includes(String(k.column));
      return { shape: 'value', success, observedValue: actual };
    }
  }
}
