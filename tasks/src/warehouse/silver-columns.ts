import type { SchemaTree } from 'hyparquet';
import { InputRejectedError } from '../errors';
import type { ListMembers } from './members';
import { maxDefinition, type RawChunk } from './parquet-chunks';
import type { SilverColumn } from './silver-contract';
import { LIMITS } from './silver-limits';
import type { SilverSummary } from './silver-reader';

/**
 * Conversions of the raw column chunks of one row group into staged columns, with the contract's
 * value checks: each distinct value is checked once, and a problem names the file, row and column.
 */

/** The error of a bad value, naming file, row (1-based) and column. */
export const reject = (file: string, row: number, column: string, problem: string, value?: unknown) =>
  new InputRejectedError(`silver file ${file} row ${row + 1} column ${column}: ${problem}`, {
    details: { file, row: row + 1, column, ...(value === undefined ? {} : { value: String(value).slice(0, 200) }) },
  });

/** Column conversions of one row group (rows start..start+length of the file). */
export class Columns {
  constructor(
    private readonly file: string,
    private readonly start: number,
    private readonly length: number,
    private readonly chunk: (name: string) => RawChunk,
  ) {}

  private fail(r: number, column: string, problem: string, value?: unknown): never {
    throw reject(this.file, this.start + r, column, problem, value);
  }

  /** Every row holds the partition's dataset and dt (checked once per distinct value, row named). */
  checkPartition(p: { dataset: string; dt: string }): void {
    const days = Date.parse(`${p.dt}T00:00:00Z`) / 86_400_000;
    const want: [string, unknown, (v: unknown) => string][] = [
      ['dataset', p.dataset, String],
      ['dt', days, (v) => new Date(Number(v) * 86_400_000).toISOString().slice(0, 10)],
    ];
    for (const [name, expected, show] of want) {
      const { codes, values } = this.chunk(name);
      const ok = new Uint8Array(values.length);
      for (let r = 0; r < this.length; r++) {
        const code = codes[r]!;
        if (code >= 0 && ok[code]) continue;
        if (code < 0) this.fail(r, name, 'is null, the contract says not null');
        if (values[code] !== expected)
          this.fail(r, name, `is ${show(values[code])}, the partition is ${name === 'dt' ? p.dt : p.dataset}`);
        ok[code] = 1;
      }
    }
  }

  /** Value ids (members.ts) of a text column, checking nulls and lengths once per distinct value. */
  textIds(col: SilverColumn, ids: { of: (v: string | null) => number }): Int32Array {
    const { codes, values } = this.chunk(col.name);
    const limit = LIMITS[col.name] ?? Infinity;
    const known = new Int32Array(values.length).fill(-1);
    const out = new Int32Array(this.length);
    for (let r = 0; r < this.length; r++) {
      const code = codes[r]!;
      if (code < 0) {
        if (col.notNull) this.fail(r, col.name, 'is null, the contract says not null');
        continue;
      }
      let id = known[code]!;
      if (id < 0) {
        const v = values[code] as string;
        if (v.length > limit) this.fail(r, col.name, `is ${v.length} characters, the warehouse takes ${limit}`, v);
        id = known[code] = ids.of(v);
      }
      out[r] = id;
    }
    return out;
  }

  /** A not-null text column as strings (the order id). */
  texts(col: SilverColumn): string[] {
    const out: string[] = new Array(this.length);
    const known: (string | null)[] = [null];
    const ids = { of: (v: string | null) => known.push(v) - 1 };
    const idx = this.textIds(col, ids);
    for (let r = 0; r < this.length; r++) out[r] = known[idx[r]!]!;
    return out;
  }

  ints(name: string): Int32Array {
    const { codes, values } = this.chunk(name);
    const out = new Int32Array(this.length);
    for (let r = 0; r < this.length; r++) {
      if (codes[r]! < 0) this.fail(r, name, 'is null, the contract says not null');
      out[r] = values[codes[r]!] as number;
    }
    return out;
  }

  flags(name: string): Uint8Array {
    const { codes, values } = this.chunk(name);
    const out = new Uint8Array(this.length);
    for (let r = 0; r < this.length; r++) {
      if (codes[r]! < 0) this.fail(r, name, 'is null, the contract says not null');
      out[r] = values[codes[r]!] ? 1 : 0;
    }
    return out;
  }

  /** decimal(12,2) as exact cents: the unscaled integer of INT32, INT64 or big-endian bytes. */
  cents(col: SilverColumn): Float64Array {
    const { codes, values } = this.chunk(col.name);
    const known = new Float64Array(values.length).fill(NaN);
    const out = new Float64Array(this.length);
    for (let r = 0; r < this.length; r++) {
      const code = codes[r]!;
      if (code < 0) {
        if (col.notNull) this.fail(r, col.name, 'is null, the contract says not null');
        out[r] = NaN;
        continue;
      }
      if (known[code] !== known[code]) known[code] = unscaled(values[code]);
      out[r] = known[code]!;
    }
    return out;
  }

  /** List numbers (members.ts) of the promotion lists; the distinct ids of each line are counted. */
  lists(col: SilverColumn, path: SchemaTree[], lists: ListMembers, s: SilverSummary): Int32Array {
    const { codes, values, def, rep } = this.chunk(col.name);
    const limit = LIMITS[col.name] ?? Infinity;
    // Definition levels: below `listAt` the list is NULL, below `elementAt` it is empty.
    const listAt = path[1]!.element.repetition_type === 'REQUIRED' ? 0 : 1;
    const elementAt = maxDefinition(path.slice(0, path.findIndex((n) => n.element.repetition_type === 'REPEATED') + 1));
    const known = new Int32Array(values.length).fill(-1);
    const out = new Int32Array(this.length);
    let seq = new Int32Array(64);
    let len = 0;
    let row = -1;
    const finish = () => {
      if (row < 0) return;
      out[row] = lists.member(seq, len);
      s.promotionPairs += lists.sizes[out[row]!]!;
    };
    for (let i = 0; i < codes.length; i++) {
      if (rep![i] === 0) {
        finish();
        row++;
        len = 0;
      }
      const d = def![i]!;
      if (d < listAt) this.fail(row, col.name, 'is null, the contract says not null');
      if (d < elementAt) continue;
      const code = codes[i]!;
      if (code < 0) this.fail(row, col.name, 'holds a null or over-long id', 'null');
      let id = known[code]!;
      if (id < 0) {
        const v = values[code] as string;
        if (v.length > limit) this.fail(row, col.name, 'holds a null or over-long id', v);
        id = known[code] = lists.ids.of(v);
      }
      if (len === seq.length) {
        const grown = new Int32Array(len * 2);
        grown.set(seq);
        seq = grown;
      }
      seq[len++] = id;
    }
    finish();
    return out;
  }
}

/** The unscaled integer of a decimal value as Parquet stores it (the cents of a decimal(12,2)). */
export function unscaled(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  // Big-endian two's complement: the first byte carries the sign, so values stay small and exact.
  const bytes = v as Uint8Array;
  let n = bytes.length && bytes[0]! >= 128 ? bytes[0]! - 256 : (bytes[0] ?? 0);
  for (let i = 1; i < bytes.length; i++) n = n * 256 + bytes[i]!;
  return n;
}
