import { InputRejectedError } from '../../errors';
import type { ListMembers } from '../members';
import type { SilverColumn } from './contract';
import { LIMITS } from './limits';
import type { SilverSummary } from './reader';

/**
 * Conversions of the decoded columns of one row window into staged columns, with the contract's
 * value checks; a problem names the file, row and column. Dictionary-encoded texts arrive as the
 * same string for every row of a value, so a run of equal values is looked up once.
 */

/** The error of a bad value, naming file, row (1-based) and column. */
export const reject = (file: string, row: number, column: string, problem: string, value?: unknown) =>
  new InputRejectedError(`silver file ${file} row ${row + 1} column ${column}: ${problem}`, {
    details: { file, row: row + 1, column, ...(value === undefined ? {} : { value: String(value).slice(0, 200) }) },
  });

const absent = (v: unknown) => v === null || v === undefined;

/** Column conversions of one window (rows start..start+length of the file). */
export class Columns {
  constructor(
    private readonly file: string,
    private readonly start: number,
    private readonly length: number,
    private readonly column: (name: string) => ArrayLike<unknown>,
  ) {}

  private fail(r: number, column: string, problem: string, value?: unknown): never {
    throw reject(this.file, this.start + r, column, problem, value);
  }

  /** Every row holds the partition's dataset and dt (dt as days since 1970-01-01). */
  checkPartition(p: { dataset: string; dt: string }): void {
    const days = Date.parse(`${p.dt}T00:00:00Z`) / 86_400_000;
    const want: [string, unknown, (v: unknown) => string, string][] = [
      ['dataset', p.dataset, String, p.dataset],
      ['dt', days, (v) => new Date(Number(v) * 86_400_000).toISOString().slice(0, 10), p.dt],
    ];
    for (const [name, expected, show, partition] of want) {
      const values = this.column(name);
      for (let r = 0; r < this.length; r++) {
        const v = values[r];
        if (v === expected) continue;
        if (absent(v)) this.fail(r, name, 'is null, the contract says not null');
        this.fail(r, name, `is ${show(v)}, the partition is ${partition}`);
      }
    }
  }

  /** Value ids (members.ts) of a text column, checking nulls and lengths. */
  textIds(col: SilverColumn, ids: { of: (v: string | null) => number }): Int32Array {
    const values = this.column(col.name);
    const limit = LIMITS[col.name] ?? Infinity;
    const out = new Int32Array(this.length);
    let last: unknown = undefined;
    let lastId = 0;
    for (let r = 0; r < this.length; r++) {
      const v = values[r];
      if (absent(v)) {
        if (col.notNull) this.fail(r, col.name, 'is null, the contract says not null');
        continue;
      }
      if (v !== last) {
        const text = v as string;
        if (text.length > limit)
          this.fail(r, col.name, `is ${text.length} characters, the warehouse takes ${limit}`, text);
        last = v;
        lastId = ids.of(text);
      }
      out[r] = lastId;
    }
    return out;
  }

  /** A not-null text column as strings (the order id). */
  texts(col: SilverColumn): string[] {
    const values = this.column(col.name);
    const limit = LIMITS[col.name] ?? Infinity;
    const out: string[] = new Array(this.length);
    for (let r = 0; r < this.length; r++) {
      const v = values[r];
      if (absent(v)) this.fail(r, col.name, 'is null, the contract says not null');
      const text = v as string;
      if (text.length > limit)
        this.fail(r, col.name, `is ${text.length} characters, the warehouse takes ${limit}`, text);
      out[r] = text;
    }
    return out;
  }

  ints(name: string): Int32Array {
    const values = this.column(name);
    const out = new Int32Array(this.length);
    for (let r = 0; r < this.length; r++) {
      if (absent(values[r])) this.fail(r, name, 'is null, the contract says not null');
      out[r] = values[r] as number;
    }
    return out;
  }

  flags(name: string): Uint8Array {
    const values = this.column(name);
    const out = new Uint8Array(this.length);
    for (let r = 0; r < this.length; r++) {
      if (absent(values[r])) this.fail(r, name, 'is null, the contract says not null');
      out[r] = values[r] ? 1 : 0;
    }
    return out;
  }

  /** decimal(12,2) as exact cents (NaN = NULL); the reader gives the value as a number of units. */
  cents(col: SilverColumn): Float64Array {
    const values = this.column(col.name);
    const out = new Float64Array(this.length);
    for (let r = 0; r < this.length; r++) {
      const v = values[r];
      if (absent(v)) {
        if (col.notNull) this.fail(r, col.name, 'is null, the contract says not null');
        out[r] = NaN;
        continue;
      }
      out[r] = centsOf(v as number);
    }
    return out;
  }

  /** List numbers (members.ts) of the promotion lists; the distinct ids of each line are counted. */
  lists(col: SilverColumn, lists: ListMembers, s: SilverSummary): Int32Array {
    const values = this.column(col.name);
    const limit = LIMITS[col.name] ?? Infinity;
    const out = new Int32Array(this.length);
    let seq = new Int32Array(64);
    for (let r = 0; r < this.length; r++) {
      const list = values[r] as ArrayLike<unknown> | null | undefined;
      if (absent(list)) this.fail(r, col.name, 'is null, the contract says not null');
      const len = list!.length;
      if (len > seq.length) seq = new Int32Array(len * 2);
      for (let i = 0; i < len; i++) {
        const v = list![i];
        if (absent(v) || (v as string).length > limit)
          this.fail(r, col.name, 'holds a null or over-long id', absent(v) ? 'null' : v);
        seq[i] = lists.ids.of(v as string);
      }
      out[r] = lists.member(seq, len);
      s.promotionPairs += lists.sizes[out[r]!]!;
    }
    return out;
  }
}

/**
 * Exact cents of a decimal(12,2) the Parquet reader gives as a number of units (the unscaled
 * integer times 0.01): |cents| < 10^12 < 2^53, so rounding the product recovers the integer.
 */
export function centsOf(units: number): number {
  return Math.round(units * 100);
}
