import type { Batch, BoundPredicate } from '../batch';
import type { Expectation } from '../suite';
import { compare, isMissing, keyOf } from '../values';
import { typeTest, dtypeVerdict } from './types-of';
import {
  keepFor,
  mostlySuccess,
  UnexpectedLog,
  type Check,
  type FailSink,
  type Outcome,
  type SourceSchema,
} from './types';

/** A per-value test: true = expected, false = unexpected. Missing values never reach it. */
type ValueTest = (v: unknown) => boolean;

/** GX `between` on one value: inclusive unless strict; an unorderable value is unexpected. */
export function betweenTest(k: Record<string, unknown>): ValueTest {
  const { min_value: min, max_value: max, strict_min: smin, strict_max: smax } = k;
  return (v) => {
    if (min != null) {
      const d = compare(v, min);
      if (d === undefined || (smin ? d <= 0 : d < 0)) return false;
    }
    if (max != null) {
      const d = compare(v, max);
      if (d === undefined || (smax ? d >= 0 : d > 0)) return false;
    }
    return true;
  };
}

function valueTest(e: Expectation): ValueTest {
  const k = e.kwargs;
  switch (e.type) {
    case 'expect_column_values_to_be_in_set': {
      const set = new Set((k.value_set as unknown[]).map((v) => `${typeof v === 'string' ? 's' : 'v'}:${keyOf(v)}`));
      // Numbers read from text files arrive as text: accept the number's text form too.
      return (v) => set.has(`${typeof v === 'string' ? 's' : 'v'}:${keyOf(v)}`) || set.has(`v:${keyOf(v)}`);
    }
    case 'expect_column_values_to_be_between':
      return betweenTest(k);
    case 'expect_column_values_to_match_regex': {
      // GX uses Python's re.search: the pattern may match anywhere unless anchored.
      const re = new RegExp(String(k.regex));
      return (v) => re.test(typeof v === 'string' ? v : keyOf(v));
    }
    case 'expect_column_values_to_be_of_type':
      return typeTest(String(k.type_));
    default:
      throw new Error(`no per-value test for ${e.type}`);
  }
}

/**
 * Column map expectations: each non-missing value is expected or not; `mostly` and the percentages
 * are over the non-missing values, as GX does. The two null checks look at every row instead.
 */
export class ColumnMapCheck implements Check {
  readonly columns: string[];
  private readonly column: string;
  private readonly log: UnexpectedLog;
  private readonly nullCheck: 'not_null' | 'null' | null;
  private readonly test: ValueTest | null;
  private elements = 0;
  private considered = 0;
  private missingColumn = false;

  constructor(readonly expectation: Expectation) {
    this.column = String(expectation.kwargs.column);
    this.columns = [this.column];
    this.log = new UnexpectedLog(keepFor(expectation));
    this.nullCheck =
      expectation.type === 'expect_column_values_to_not_be_null'
        ? 'not_null'
        : expectation.type === 'expect_column_values_to_be_null'
          ? 'null'
          : null;
    this.test = this.nullCheck ? null : valueTest(expectation);
  }

  update(batch: Batch, domain: BoundPredicate | null, sink: FailSink): void {
    const values = batch.columns.get(this.column);
    if (!values) {
      if (batch.length) this.missingColumn = true;
      return;
    }
    const { test, nullCheck, log } = this;
    for (let i = 0; i < batch.length; i++) {
      if (domain && !domain(i)) continue;
      this.elements++;
      const v = values[i];
      const missing = isMissing(v);
      let bad: boolean;
      if (nullCheck) bad = nullCheck === 'not_null' ? missing : !missing;
      else {
        if (missing) continue;
        this.considered++;
        bad = !test!(v);
      }
      if (bad) {
        log.add(v, batch.firstIndex + i);
        sink.row(i);
      }
    }
  }

  finish(schema: SourceSchema): Outcome {
    const e = this.expectation;
    if (this.missingColumn || (schema.columns.length > 0 && !schema.columns.includes(this.column))) {
      return {
        shape: 'value',
        success: false,
        observedValue: null,
        details: { error: `column "${this.column}" not found` },
      };
    }
    if (e.type === 'expect_column_values_to_be_of_type') {
      const verdict = dtypeVerdict(schema, this.column, String(e.kwargs.type_));
      if (verdict) return { shape: 'value', success: verdict.success, observedValue: verdict.observed };
    }
    const mostly = (e.kwargs.mostly as number | undefined) ?? 1;
    const considered = this.nullCheck ? this.elements : this.considered;
    return {
      shape: 'map',
      success: mostlySuccess(considered, this.log.count, mostly),
      elementCount: this.elements,
      consideredCount: this.nullCheck ? null : this.considered,
      unexpectedCount: this.log.count,
      unexpectedValues: this.log.values,
      unexpectedIndexes: this.log.indexes,
      truncated: this.log.truncated,
    };
  }
}
