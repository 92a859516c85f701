import { isAscii, isUtf8 } from 'node:buffer';
import { InputRejectedError } from '../../errors';
import type { ListMembers, Members } from '../members';
import type { SilverColumn } from './contract';
import type { SilverValues } from './decode/column';
import { LIMITS } from './limits';
import type { SilverSummary } from './reader';

/**
 * Conversions of the decoded columns of one row window into staged columns, with the contract's
 * value checks; a problem names the file, row and column. Texts arrive as codes into their
 * column's distinct strings (decode/column.ts), so each distinct string is checked and looked up
 * once; the order id, nearly unique a line, arrives as its UTF-8 bytes.
 */

/** The error of a bad value, naming file, row (1-based) and column. */
export const reject = (file: string, row: number, column: string, problem: string, value?: unknown) =>
  new InputRejectedError(`silver file ${file} row ${row + 1} column ${column}: ${problem}`, {
    details: { file, row: row + 1, column, ...(value === undefined ? {} : { value: String(value).slice(0, 200) }) },
  });

type Text = Extract<SilverValues, { kind: 'text' }>;
type Numbers = Extract<SilverValues, { kind: 'number' }>;
type List = Extract<SilverValues, { kind: 'list' }>;

/** Combined dictionary codes of a dimension up to this many: an array of members by code. */
const SMALL_SPAN = 1 << 16;

/** Texts as UTF-8 bytes: value r is heap[starts[r], starts[r] + lengths[r]). */
export type Utf8Values = Omit<Extract<SilverValues, { kind: 'bytes' }>, 'kind'>;

/** Texts as UTF-8 values (a null has length -1). */
export function utf8Values(texts: readonly (string | null)[]): Utf8Values {
  const encoded = texts.map((v) => (v === null ? null : Buffer.from(v, 'utf8')));
  const heap = Buffer.concat(encoded.flatMap((b) => (b ? [b] : [])));
  const starts = new Int32Array(texts.length);
  const lengths = new Int32Array(texts.length);
  for (let r = 0, at = 0; r < texts.length; r++) {
    const b = encoded[r];
    starts[r] = at;
    lengths[r] = b ? b.length : -1;
    at += b ? b.length : 0;
  }
  return { heap: new Uint8Array(heap.buffer, heap.byteOffset, heap.length), starts, lengths };
}

/** Value r of UTF-8 values as a string. */
export function textAt(v: Utf8Values, r: number): string {
  return Buffer.from(v.heap.buffer, v.heap.byteOffset, v.heap.byteLength).toString(
    'utf8',
    v.starts[r],
    v.starts[r]! + v.lengths[r]!,
  );
}

/** Column conversions of one window (rows start..start+length of the file). */
export class Columns {
  constructor(
    private readonly file: string,
    private readonly start: number,
    private readonly length: number,
    private readonly column: (name: string) => SilverValues,
  ) {}

  private fail(r: number, column: string, problem: string, value?: unknown): never {
    throw reject(this.file, this.start + r, column, problem, value);
  }

  private as<K extends SilverValues['kind']>(name: string, kind: K): Extract<SilverValues, { kind: K }> {
    const c = this.column(name);
    if (c.kind !== kind) throw new Error(`silver column ${name} decoded as ${c.kind}, the loader wants ${kind}`);
    return c as Extract<SilverValues, { kind: K }>;
  }

  /** Every row holds the partition's dataset and dt (dt as days since 1970-01-01). */
  checkPartition(p: { dataset: string; dt: string }): void {
    const dataset: Text = this.as('dataset', 'text');
    // The dictionary's texts compared once; a line then costs one lookup of its code.
    const same = Uint8Array.from(dataset.dict, (d) => (d === p.dataset ? 1 : 0));
    for (let r = 0; r < this.length; r++) {
      const code = dataset.codes[r]!;
      if (same[code] === 1) continue;
      if (code < 0) this.fail(r, 'dataset', 'is null, the contract says not null');
      this.fail(r, 'dataset', `is ${dataset.dict[code]}, the partition is ${p.dataset}`);
    }
    const days = Date.parse(`${p.dt}T00:00:00Z`) / 86_400_000;
    const dt: Numbers = this.as('dt', 'number');
    for (let r = 0; r < this.length; r++) {
      if (dt.values[r] === days && !dt.nulls[r]) continue;
      if (dt.nulls[r]) this.fail(r, 'dt', 'is null, the contract says not null');
      const shown = new Date(dt.values[r]! * 86_400_000).toISOString().slice(0, 10);
      this.fail(r, 'dt', `is ${shown}, the partition is ${p.dt}`);
    }
  }

  /**
   * Value ids (members.ts) of each string of a dictionary, looked up the first time a row uses it
   * (so a too-long string is reported at its first row); 0 = not yet looked up.
   */
  private idsOf(dict: string[], col: SilverColumn, ids: { of: (v: string | null) => number }) {
    const limit = LIMITS[col.name] ?? Infinity;
    const known = new Int32Array(dict.length);
    return (code: number, r: number): number => {
      let id = known[code]!;
      if (id === 0) {
        const text = dict[code]!;
        if (text.length > limit)
          this.fail(r, col.name, `is ${text.length} characters, the warehouse takes ${limit}`, text);
        id = known[code] = ids.of(text);
      }
      return id;
    };
  }

  /**
   * Member numbers (members.ts) of a dimension whose natural key is `cols` (in the members'
   * order), checking nulls and lengths. When the window's dictionaries of those columns are small
   * (a few statuses, channels, service levels), a line's codes taken together are one number (a
   * digit in the base of each dictionary's size, NULL counting as one more value), and a member met
   * before in the window costs one array lookup; its first line alone is checked and numbered.
   * Larger dictionaries (SKUs, PIN codes) take each line's value ids.
   */
  members(m: Members, cols: SilverColumn[]): Int32Array {
    const texts = cols.map((c): Text => this.as(c.name, 'text'));
    let span = 1;
    const weights = texts.map((t) => {
      const w = span;
      span *= t.dict.length + 1;
      return w;
    });
    const out = new Int32Array(this.length);
    if (span > SMALL_SPAN) {
      const ids = cols.map((c, k) => this.textIds(c, m.columns[k]!));
      for (let r = 0; r < this.length; r++) out[r] = m.memberAt(ids, r);
      return out;
    }
    const codes = texts.map((t) => t.codes);
    const idOf = texts.map((t, k) => this.idsOf(t.dict, cols[k]!, m.columns[k]!));
    const ids = new Int32Array(cols.length);
    // Member number + 1 by combined code; 0 = not met in this window yet.
    const seen = new Int32Array(span);
    for (let r = 0; r < this.length; r++) {
      let key = 0;
      for (let k = 0; k < codes.length; k++) key += (codes[k]![r]! + 1) * weights[k]!;
      let n = seen[key]! - 1;
      if (n < 0) {
        for (let k = 0; k < cols.length; k++) {
          const code = codes[k]![r]!;
          if (code >= 0) ids[k] = idOf[k]!(code, r);
          else if (cols[k]!.notNull) this.fail(r, cols[k]!.name, 'is null, the contract says not null');
          else ids[k] = 0;
        }
        n = m.memberOf(ids);
        seen[key] = n + 1;
      }
      out[r] = n;
    }
    return out;
  }

  /** Value ids (members.ts) of a text column, checking nulls and lengths. */
  textIds(col: SilverColumn, ids: { of: (v: string | null) => number }): Int32Array {
    const { dict, codes }: Text = this.as(col.name, 'text');
    const idOf = this.idsOf(dict, col, ids);
    const out = new Int32Array(this.length);
    for (let r = 0; r < this.length; r++) {
      const code = codes[r]!;
      if (code < 0) {
        if (col.notNull) this.fail(r, col.name, 'is null, the contract says not null');
        continue;
      }
      out[r] = idOf(code, r);
    }
    return out;
  }

  /**
   * A not-null text column read as bytes (the order id): its values' UTF-8 bytes, checked to be
   * UTF-8 and no longer than the warehouse takes.
   */
  utf8(col: SilverColumn): Utf8Values {
    const values = this.column(col.name);
    if (values.kind !== 'bytes')
      throw new Error(`silver column ${col.name} decoded as ${values.kind}, the loader wants bytes`);
    const { heap, starts, lengths } = values;
    const limit = LIMITS[col.name] ?? Infinity;
    const ascii = isAscii(heap);
    for (let r = 0; r < this.length; r++) {
      const n = lengths[r]!;
      if (n < 0) this.fail(r, col.name, 'is null, the contract says not null');
      if (ascii && n <= limit) continue;
      const bytes = heap.subarray(starts[r], starts[r]! + n);
      if (!isUtf8(bytes)) this.fail(r, col.name, 'is not valid UTF-8', Buffer.from(bytes).toString('hex'));
      // The warehouse counts characters; a JavaScript string's length counts UTF-16 units, as before.
      const text = Buffer.from(bytes).toString('utf8');
      if (text.length > limit)
        this.fail(r, col.name, `is ${text.length} characters, the warehouse takes ${limit}`, text);
    }
    return { heap, starts: starts.subarray(0, this.length), lengths: lengths.subarray(0, this.length) };
  }

  private notNull(name: string): Float64Array {
    const { values, nulls }: Numbers = this.as(name, 'number');
    const at = nulls.indexOf(1);
    if (at >= 0 && at < this.length) this.fail(at, name, 'is null, the contract says not null');
    return values;
  }

  ints(name: string): Int32Array {
    return Int32Array.from(this.notNull(name).subarray(0, this.length));
  }

  flags(name: string): Uint8Array {
    return Uint8Array.from(this.notNull(name).subarray(0, this.length));
  }

  /** decimal(12,2) as exact cents (NaN = NULL). */
  cents(col: SilverColumn): Float64Array {
    if (col.notNull) return Float64Array.from(this.notNull(col.name).subarray(0, this.length));
    const { values, nulls }: Numbers = this.as(col.name, 'number');
    const out = new Float64Array(this.length);
    for (let r = 0; r < this.length; r++) out[r] = nulls[r] ? NaN : values[r]!;
    return out;
  }

  /** List numbers (members.ts) of the promotion lists; the distinct ids of each line are counted. */
  lists(col: SilverColumn, lists: ListMembers, s: SilverSummary): Int32Array {
    const { dict, offsets, codes, nulls }: List = this.as(col.name, 'list');
    const limit = LIMITS[col.name] ?? Infinity;
    const known = new Int32Array(dict.length);
    const out = new Int32Array(this.length);
    let seq = new Int32Array(64);
    for (let r = 0; r < this.length; r++) {
      if (nulls[r]) this.fail(r, col.name, 'is null, the contract says not null');
      const from = offsets[r]!;
      const len = offsets[r + 1]! - from;
      if (len > seq.length) seq = new Int32Array(len * 2);
      for (let i = 0; i < len; i++) {
        const code = codes[from + i]!;
        if (code < 0) this.fail(r, col.name, 'holds a null or over-long id', 'null');
        let id = known[code]!;
        if (id === 0) {
          const v = dict[code]!;
          if (v.length > limit) this.fail(r, col.name, 'holds a null or over-long id', v);
          id = known[code] = lists.ids.of(v);
        }
        seq[i] = id;
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
