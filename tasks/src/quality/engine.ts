import { compileCondition, rowAt, type Batch, type BoundPredicate, type Predicate } from './batch';
import { createCheck, neededColumns, type Check, type SourceSchema } from './checks';
import { toExpectationResult, toValidationResult, type ValidationResult } from './result';
import type { Suite } from './suite';
import { isMissing, toJsonValue } from './values';

/** A data source read in one pass, batch by batch. */
export interface Reader {
  /** What is read (s3 URIs or a table), for reports. */
  describe(): string;
  /** Yields the rows in bounded batches; `columns` is what the suite needs (null: every column). */
  batches(columns: Set<string> | null): AsyncIterable<Batch>;
  /** The schema as seen by the end of the pass (column names, declared dtypes). */
  schema(): Omit<SourceSchema, 'nullCounts'>;
}

/** Where a failing row is, and which expectations it failed. */
export interface FailingRow {
  row_id: { index: number; source: string | null; row: number | null };
  failed_expectations: { index: number; type: string; severity: string; columns: string[] }[];
  /** The whole row, or, for the first occurrence of a duplicate found later, the key columns. */
  row: Record<string, unknown>;
  partial_row: boolean;
}

export interface ValidateOptions {
  /** Called for each failing row as soon as it is known (the quarantine export). */
  onFailingRow?: (row: FailingRow) => void | Promise<void>;
  onProgress?: (rows: number) => void;
  /** Called between batches; throw to stop (SIGTERM). */
  throwIfStopped?: () => void;
  meta?: Record<string, unknown>;
}

export interface Validation {
  result: ValidationResult;
  rows: number;
  failingRows: number;
}

/**
 * Validates a suite against a reader in one streaming pass: every check sees each batch once, the
 * failing rows of the batch are handed to `onFailingRow`, and the batch is dropped. Memory is one
 * batch plus what the checks keep (counters, bounded value lists, uniqueness hashes).
 */
export async function validate(suite: Suite, reader: Reader, options: ValidateOptions = {}): Promise<Validation> {
  const checks = suite.expectations.map(createCheck);
  const conditions: (Predicate | null)[] = suite.expectations.map((e) =>
    e.condition ? compileCondition(e.condition) : null,
  );
  const errors = new Map<number, string>();
  const typeColumns = new Set(
    suite.expectations
      .filter((e) => e.type === 'expect_column_values_to_be_of_type')
      .map((e) => String(e.kwargs.column)),
  );
  const nullCounts = new Map<string, number>();
  const batchStarts: { index: number; source: string; firstRow: number }[] = [];
  const needed = neededColumns(checks);
  const projectAll = suite.expectations.some((e) => e.kind === 'table');
  let rows = 0;
  let failingRows = 0;

  for await (const batch of reader.batches(projectAll || options.onFailingRow ? null : needed)) {
    options.throwIfStopped?.();
    batchStarts.push({ index: batch.firstIndex, source: batch.source, firstRow: batch.firstRow });
    const failed = new Map<number, number[]>();
    const earlier: FailingRow[] = [];
    checks.forEach((check, n) => {
      if (errors.has(n)) return;
      let domain: BoundPredicate | null;
      try {
        domain = conditions[n] ? conditions[n]!(batch) : null;
      } catch (error) {
        errors.set(n, (error as Error).message);
        return;
      }
      check.update(batch, domain, {
        row: (i) => {
          const list = failed.get(i);
          if (list) list.push(n);
          else failed.set(i, [n]);
        },
        earlier: (index, values) => earlier.push(earlierRow(index, values, check, batchStarts)),
      });
    });
    for (const col of typeColumns) {
      const values = batch.columns.get(col);
      if (!values) continue;
      let nulls = 0;
      for (let i = 0; i < batch.length; i++) if (isMissing(values[i])) nulls++;
      nullCounts.set(col, (nullCounts.get(col) ?? 0) + nulls);
    }
    if (options.onFailingRow) {
      for (const row of earlier) await options.onFailingRow(row);
      for (const i of [...failed.keys()].sort((a, b) => a - b)) {
        await options.onFailingRow({
          row_id: { index: batch.firstIndex + i, source: batch.source, row: batch.firstRow + i },
          failed_expectations: failed.get(i)!.map((n) => describeCheck(checks[n]!)),
          row: jsonRow(rowAt(batch, i)),
          partial_row: false,
        });
      }
    }
    failingRows += failed.size + earlier.length;
    rows += batch.length;
    options.onProgress?.(rows);
  }
  const schema: SourceSchema = { ...reader.schema(), nullCounts };
  const results = checks.map((check, n) =>
    toExpectationResult(check.expectation, errors.has(n) ? { error: errors.get(n)! } : check.finish(schema)),
  );
  const result = toValidationResult(suite, results, { data: reader.describe(), rows, ...options.meta });
  return { result, rows, failingRows };
}

function describeCheck(check: Check) {
  const e = check.expectation;
  return { index: e.index, type: e.type, severity: e.severity, columns: check.columns };
}

function jsonRow(row: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(row)) row[k] = toJsonValue(row[k]);
  return row;
}

/** The first row of a duplicated value: its position from the batch it was in. */
function earlierRow(
  index: number,
  values: Record<string, unknown>,
  check: Check,
  starts: { index: number; source: string; firstRow: number }[],
): FailingRow {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]!.index <= index) lo = mid;
    else hi = mid - 1;
  }
  const b = starts[lo];
  return {
    row_id: { index, source: b?.source ?? null, row: b ? b.firstRow + (index - b.index) : null },
    failed_expectations: [describeCheck(check)],
    row: jsonRow({ ...values }),
    partial_row: true,
  };
}
