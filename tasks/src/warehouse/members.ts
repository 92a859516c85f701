import { textArrayLiteral } from './values';

/**
 * Numbering of the distinct dimension members of a day, done while silver is read so the stage
 * carries small integers and each member's key is computed once (load/keys.ts).
 */

/** Distinct texts of one column: id 0 is NULL, others count from 1 in order of appearance. */
export class ValueIds {
  private readonly ids = new Map<string, number>();
  readonly values: (string | null)[] = [null];

  /** The id of a text (null -> 0). */
  of(v: string | null): number {
    if (v === null) return 0;
    let id = this.ids.get(v);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(v, id);
      this.values.push(v);
    }
    return id;
  }
}

/** Interns integer sequences (open addressing over one Int32Array pool): equal sequences, one number. */
export class SequenceIndex {
  private pool = new Int32Array(4096);
  private used = 0;
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  private table = new Int32Array(1024);

  get size(): number {
    return this.starts.length;
  }

  /** Number (from 0) of `seq[0..len)`, new or known. */
  intern(seq: Int32Array, len: number): number {
    let h = 0x811c9dc5 ^ len;
    for (let i = 0; i < len; i++) h = Math.imul(h ^ seq[i]!, 0x01000193);
    const mask = this.table.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.table[slot]!;
      if (entry === 0) return this.add(seq, len, slot);
      const n = entry - 1;
      if (this.lengths[n] === len && this.equals(n, seq, len)) return n;
    }
  }

  /** The sequence of number n. */
  get(n: number): Int32Array {
    return this.pool.subarray(this.starts[n]!, this.starts[n]! + this.lengths[n]!);
  }

  /** Whether sequence n is the column values cols[0..len)[r] (a line's ids, column by column). */
  holds(n: number, cols: Int32Array[], r: number): boolean {
    const at = this.starts[n]!;
    const len = this.lengths[n]!;
    if (len !== cols.length) return false;
    for (let k = 0; k < len; k++) if (this.pool[at + k] !== cols[k]![r]) return false;
    return true;
  }

  private equals(n: number, seq: Int32Array, len: number): boolean {
    const at = this.starts[n]!;
    for (let i = 0; i < len; i++) if (this.pool[at + i] !== seq[i]) return false;
    return true;
  }

  private add(seq: Int32Array, len: number, slot: number): number {
    if (this.used + len > this.pool.length) {
      const grown = new Int32Array(Math.max(this.pool.length * 2, this.used + len));
      grown.set(this.pool);
      this.pool = grown;
    }
    this.pool.set(seq.subarray(0, len), this.used);
    const n = this.starts.length;
    this.starts.push(this.used);
    this.lengths.push(len);
    this.used += len;
    this.table[slot] = n + 1;
    if (this.starts.length * 2 > this.table.length) this.rehash();
    return n;
  }

  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2);
    const mask = this.table.length - 1;
    for (let n = 0; n < this.starts.length; n++) {
      const seq = this.get(n);
      let h = 0x811c9dc5 ^ seq.length;
      for (let i = 0; i < seq.length; i++) h = Math.imul(h ^ seq[i]!, 0x01000193);
      let slot = h & mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & mask;
      this.table[slot] = n + 1;
    }
  }
}

/**
 * Members of a dimension whose natural key is several text columns. Member numbers count from 1;
 * 0 is the unknown member, which a line gets when every column is NULL and `nullIsUnknown`.
 */
export class Members {
  readonly columns: ValueIds[];
  private readonly index = new SequenceIndex();
  private readonly scratch: Int32Array;
  /**
   * The member last found for each id of the first column (+1; 0 = none). A first column mostly
   * decides the rest (a SKU its style and size, a PIN code its city), so a line usually matches it
   * with a few comparisons instead of a hash and a probe; any other line takes the index.
   */
  private byFirst = new Int32Array(1024);

  constructor(
    readonly names: string[],
    private readonly nullIsUnknown: boolean,
  ) {
    this.columns = names.map(() => new ValueIds());
    this.scratch = new Int32Array(names.length);
  }

  /** Member of line r, from the value ids of its columns (`cols` in `names` order). */
  memberAt(cols: Int32Array[], r: number): number {
    const first = cols[0]![r]!;
    if (first < this.byFirst.length) {
      const seen = this.byFirst[first]!;
      if (seen !== 0 && this.index.holds(seen - 1, cols, r)) return seen;
    }
    for (let k = 0; k < this.scratch.length; k++) this.scratch[k] = cols[k]![r]!;
    const n = this.memberOf(this.scratch);
    if (n === 0) return 0;
    if (first >= this.byFirst.length) {
      const grown = new Int32Array(Math.max(this.byFirst.length * 2, first + 1));
      grown.set(this.byFirst);
      this.byFirst = grown;
    }
    this.byFirst[first] = n;
    return n;
  }

  /** Member of a line whose columns have these value ids (in `names` order). */
  memberOf(ids: Int32Array): number {
    let any = 0;
    for (let k = 0; k < ids.length; k++) any |= ids[k]!;
    if (any === 0 && this.nullIsUnknown) return 0;
    return this.index.intern(ids, ids.length) + 1;
  }

  /** The texts of member n (n >= 1), in `names` order. */
  member(n: number): (string | null)[] {
    const ids = this.index.get(n - 1);
    return this.columns.map((c, k) => c.values[ids[k]!]!);
  }

  /** Column k of member n (n >= 1): one text, without building the member's row. */
  valueAt(n: number, k: number): string | null {
    return this.columns[k]!.values[this.index.get(n - 1)[k]!]!;
  }

  /** Every member as [number, ...texts], for the stage. */
  rows(): (string | null)[][] {
    return Array.from({ length: this.index.size }, (_, n) => {
      const ids = this.index.get(n);
      return [String(n + 1), ...this.columns.map((c, k) => c.values[ids[k]!]!)];
    });
  }
}

/** The distinct promotion lists of a day: list 0 is the empty list, others count from 1. */
export class ListMembers {
  readonly ids = new ValueIds();
  private readonly index = new SequenceIndex();
  /** Distinct ids of list n at index n. */
  readonly sizes: number[] = [0];

  /** Number of the list of value ids `seq[0..len)`. */
  member(seq: Int32Array, len: number): number {
    if (len === 0) return 0;
    const before = this.index.size;
    const n = this.index.intern(seq, len) + 1;
    if (this.index.size > before) this.sizes.push(new Set(seq.subarray(0, len)).size);
    return n;
  }

  /** How many lists the day has (list numbers 1..count). */
  get count(): number {
    return this.index.size;
  }

  /** The ids of list n (n >= 1), as they appeared. */
  list(n: number): string[] {
    return Array.from(this.index.get(n - 1), (id) => this.ids.values[id]!);
  }

  /** Every list as [number, array literal], for the stage. */
  rows(): string[][] {
    return Array.from({ length: this.index.size }, (_, n) => [
      String(n + 1),
      textArrayLiteral(Array.from(this.index.get(n), (id) => this.ids.values[id]!)),
    ]);
  }
}
