import type { Condition, Literal, Operand } from './condition';
import { compare, equals, isMissing, toNumber } from './values';

/**
 * A slice of rows in columnar form, as every reader produces it. Readers keep only a bounded number
 * of rows (one NDJSON/CSV chunk, one Parquet row group) alive at a time.
 */
export interface Batch {
  length: number;
  /** Values of a column, or undefined when the source has no such column. */
  columns: Map<string, ArrayLike<unknown>>;
  /** The object (or table) the rows come from. */
  source: string;
  /** 1-based record number, within `source`, of row 0 of this batch. */
  firstRow: number;
  /** 0-based position of row 0 in the whole validated data (GX's pandas index). */
  firstIndex: number;
}

/** The whole row `i` of a batch as an object (for quarantine and reports). */
export function rowAt(batch: Batch, i: number): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [name, values] of batch.columns) row[name] = values[i];
  return row;
}

/** A row predicate bound to one batch: `bind(batch)(i)`. */
export type BoundPredicate = (i: number) => boolean;
export type Predicate = (batch: Batch) => BoundPredicate;

function operandReader(o: Operand, batch: Batch): (i: number) => unknown {
  if ('value' in o) {
    const v = o.value;
    return () => v;
  }
  const values = batch.columns.get(o.column);
  if (!values) throw new Error(`row_condition reads column "${o.column}", which the data does not have`);
  return (i) => values[i];
}

function literalMatches(v: unknown, list: Literal[]): boolean {
  if (isMissing(v)) return list.includes(null);
  return list.some((l) => l !== null && equals(v, l));
}

function truthy(v: unknown): boolean {
  if (isMissing(v)) return false;
  if (typeof v === 'string') return v === 'True' || v === 'true';
  if (typeof v === 'boolean') return v;
  return (toNumber(v) ?? 0) !== 0;
}

/** Compiles a condition tree into a row predicate (pandas null semantics, see condition.ts). */
export function compileCondition(c: Condition): Predicate {
  switch (c.op) {
    case 'and':
    case 'or': {
      const l = compileCondition(c.left);
      const r = compileCondition(c.right);
      return c.op === 'and'
        ? (b) => {
            const [x, y] = [l(b), r(b)];
            return (i) => x(i) && y(i);
          }
        : (b) => {
            const [x, y] = [l(b), r(b)];
            return (i) => x(i) || y(i);
          };
    }
    case 'not': {
      const inner = compileCondition(c.arg);
      return (b) => {
        const x = inner(b);
        return (i) => !x(i);
      };
    }
    case 'isnull':
      return (b) => {
        const values = b.columns.get(c.column) ?? [];
        return (i) => isMissing(values[i]) !== c.negate;
      };
    case 'truthy':
      return (b) => {
        const values = b.columns.get(c.column) ?? [];
        return (i) => truthy(values[i]);
      };
    case 'in':
      return (b) => {
        const values = b.columns.get(c.column);
        if (!values) throw new Error(`row_condition reads column "${c.column}", which the data does not have`);
        return (i) => literalMatches(values[i], c.values) !== c.negate;
      };
    case 'cmp': {
      const op = c.cmp;
      return (b) => {
        const [left, right] = [operandReader(c.left, b), operandReader(c.right, b)];
        return (i) => {
          const [x, y] = [left(i), right(i)];
          if (op === '==') return equals(x, y);
          if (op === '!=') return !equals(x, y);
          if (isMissing(x) || isMissing(y)) return false;
          const d = compare(x, y);
          if (d === undefined) return false;
          return op === '<' ? d < 0 : op === '<=' ? d <= 0 : op === '>' ? d > 0 : d >= 0;
        };
      };
    }
  }
}
