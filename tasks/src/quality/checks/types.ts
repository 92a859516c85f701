import type { Batch, BoundPredicate } from '../batch';
import type { Expectation } from '../suite';
import { toJsonValue } from '../values';

/** What the data source knows about its columns before or after the pass. */
export interface SourceSchema {
  /** Column names in source order. */
  columns: string[];
  /** pandas-style dtype per column where the format declares one (Parquet, SQL); absent for text. */
  dtypes: Map<string, string>;
  /** Missing values seen per column (pandas turns an int column with nulls into float64). */
  nullCounts: Map<string, number>;
}

/** Where a check reports a failing row, so the engine can quarantine it. */
export interface FailSink {
  /** Row `i` of the current batch failed. */
  row(i: number): void;
  /** An earlier row (by 0-based index) failed, known only now (the first of a duplicated value). */
  earlier(index: number, values: Record<string, unknown>): void;
}

/** The facts a check found; result.ts turns them into a GX-shaped result for a result_format. */
export type Outcome =
  | {
      shape: 'map';
      success: boolean;
      elementCount: number;
      /** Rows the check looked at (non-null ones for column checks); null for the null checks. */
      consideredCount: number | null;
      unexpectedCount: number;
      unexpectedValues: unknown[];
      unexpectedIndexes: number[];
      truncated: boolean;
    }
  | { shape: 'value'; success: boolean; observedValue: unknown; details?: Record<string, unknown> };

/** One expectation's evaluation state across the pass. */
export interface Check {
  expectation: Expectation;
  /** Columns the check reads (the reader projects only these plus the condition's). */
  columns: string[];
  /** Feeds one batch; `domain` is the row_condition (null: every row). */
  update(batch: Batch, domain: BoundPredicate | null, sink: FailSink): void;
  /** The outcome once every batch is seen. */
  finish(schema: SourceSchema): Outcome;
}

/** Most unexpected values and indexes kept for COMPLETE results; the quarantine export has all. */
export const MAX_KEPT_UNEXPECTED = 10_000;

/** Keeps the first unexpected values and indexes (bounded) and counts the rest. */
export class UnexpectedLog {
  values: unknown[] = [];
  indexes: number[] = [];
  count = 0;
  truncated = false;

  constructor(private readonly keep: number) {}

  add(value: unknown, index: number, n = 1) {
    this.count += n;
    if (this.values.length < this.keep) {
      this.values.push(toJsonValue(value));
      this.indexes.push(index);
    } else this.truncated = true;
  }
}

/** GX's success rule for map expectations: vacuously true on no rows, else the ratio vs `mostly`. */
export function mostlySuccess(considered: number, unexpected: number, mostly: number): boolean {
  if (considered === 0) return true;
  return (considered - unexpected) / considered >= mostly;
}

/** How many unexpected values a result format asks to keep. */
export function keepFor(e: Expectation): number {
  const rf = e.kwargs.result_format;
  const name = typeof rf === 'string' ? rf : ((rf as { result_format?: string } | undefined)?.result_format ?? 'BASIC');
  const partial =
    (typeof rf === 'object' && rf
      ? (rf as { partial_unexpected_count?: number }).partial_unexpected_count
      : undefined) ?? 20;
  return name === 'COMPLETE' ? Math.max(partial, MAX_KEPT_UNEXPECTED) : partial;
}
