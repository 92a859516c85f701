import type { Batch, BoundPredicate } from '../batch';
import { CompactHashSet } from '../hashset';
import type { Expectation } from '../suite';
import { compare, equals, isMissing, keyOf, toNumber } from '../values';
import {
  keepFor,
  mostlySuccess,
  UnexpectedLog,
  type Check,
  type FailSink,
  type Outcome,
  type SourceSchema,
} from './types';

const typedKey = (v: unknown) => (isMissing(v) ? '\u0000' : `${typeof v === 'string' ? 's' : 'v'}:${keyOf(v)}`);

/**
 * Row-wise checks over one column (uniqueness), a pair of columns or a list of columns. Uniqueness
 * follows pandas `duplicated(keep=False)`: every row of a repeated value is unexpected, the first
 * one included; it is found when the second arrives, so the first is reported through `earlier`.
 */
export class RowMapCheck implements Check {
  readonly columns: string[];
  private readonly log: UnexpectedLog;
  private readonly seen: CompactHashSet | null;
  private elements = 0;
  private considered = 0;
  private missing: string[] = [];
  private readonly ignore: string;
  private readonly rowTest: ((vals: unknown[]) => boolean) | null;

  constructor(readonly expectation: Expectation) {
    const k = expectation.kwargs;
    this.columns =
      expectation.kind === 'pair_map'
        ? [String(k.column_A), String(k.column_B)]
        : expectation.kind === 'multicolumn_map'
          ? (k.column_list as string[])
          : [String(k.column)];
    this.log = new UnexpectedLog(keepFor(expectation));
    const unique = ['expect_column_values_to_be_unique', 'expect_compound_columns_to_be_unique'].includes(
      expectation.type,
    );
    this.seen = unique ? new CompactHashSet() : null;
    this.ignore =
      (k.ignore_row_if as string | undefined) ??
      (expectation.kind === 'pair_map'
        ? 'both_values_are_missing'
        : expectation.kind === 'multicolumn_map'
          ? 'all_values_are_missing'
          : 'any_value_is_missing');
    this.rowTest = unique ? null : rowTest(expectation);
  }

  private skip(vals: unknown[]): boolean {
    switch (this.ignore) {
      case 'both_values_are_missing':
      case 'all_values_are_missing':
        return vals.every(isMissing);
      case 'either_value_is_missing':
      case 'any_value_is_missing':
        return vals.some(isMissing);
      default:
        return false;
    }
  }

  private report(vals: unknown[]): unknown {
    if (this.expectation.kind === 'column_map') return vals[0];
    if (this.expectation.kind === 'pair_map') return vals;
    return Object.fromEntries(this.columns.map((c, j) => [c, vals[j]]));
  }

  update(batch: Batch, domain: BoundPredicate | null, sink: FailSink): void {
    const arrays = this.columns.map((c) => batch.columns.get(c));
    if (arrays.some((a) => !a)) {
      if (batch.length) this.missing = this.columns.filter((_c, j) => !arrays[j]);
      return;
    }
    const vals = new Array<unknown>(arrays.length);
    for (let i = 0; i < batch.length; i++) {
      if (domain && !domain(i)) continue;
      this.elements++;
      for (let j = 0; j < arrays.length; j++) vals[j] = arrays[j]![i];
      if (this.skip(vals)) continue;
      this.considered++;
      const index = batch.firstIndex + i;
      if (this.seen) {
        const key = vals.length === 1 ? typedKey(vals[0]) : vals.map(typedKey).join('\u001f');
        const s = this.seen.add(key, index);
        if (s.kind === 'new') continue;
        if (s.kind === 'second') {
          this.log.add(this.report(vals), s.firstIndex);
          sink.earlier(s.firstIndex, Object.fromEntries(this.columns.map((c, j) => [c, vals[j]])));
        }
      } else if (this.rowTest!(vals)) continue;
      this.log.add(this.report(vals), index);
      sink.row(i);
    }
  }

  finish(_schema: SourceSchema): Outcome {
    if (this.missing.length) {
      return {
        shape: 'value',
        success: false,
        observedValue: null,
        details: { error: `columns not found: ${this.missing.join(', ')}` },
      };
    }
    const mostly = (this.expectation.kwargs.mostly as number | undefined) ?? 1;
    return {
      shape: 'map',
      success: this.elements === 0 || mostlySuccess(this.considered, this.log.count, mostly),
      elementCount: this.elements,
      consideredCount: this.considered,
      unexpectedCount: this.log.count,
      unexpectedValues: this.log.values,
      unexpectedIndexes: this.log.indexes,
      truncated: this.log.truncated,
    };
  }

  /** Distinct non-missing keys seen (uniqueness checks only). */
  get distinct(): number {
    return this.seen?.size ?? 0;
  }
}

function rowTest(e: Expectation): (vals: unknown[]) => boolean {
  const k = e.kwargs;
  switch (e.type) {
    case 'expect_column_pair_values_to_be_equal':
      return ([a, b]) => equals(a, b);
    case 'expect_column_pair_values_a_to_be_greater_than_b': {
      const orEqual = k.or_equal === true;
      return ([a, b]) => {
        if (isMissing(a) || isMissing(b)) return false;
        const d = compare(a, b);
        return d !== undefined && (orEqual ? d >= 0 : d > 0);
      };
    }
    case 'expect_multicolumn_sum_to_equal': {
      const total = Number(k.sum_total);
      return (vals) => {
        // pandas sum(skipna=False): a missing value makes the sum NaN, which equals nothing.
        let sum = 0;
        for (const v of vals) {
          const n = toNumber(v);
          if (n === undefined) return false;
          sum += n;
        }
        return Math.abs(sum - total) <= 1e-9 * Math.max(1, Math.abs(total));
      };
    }
    default:
      throw new Error(`no row test for ${e.type}`);
  }
}
