/**
 * Uniqueness in one pass needs to remember every distinct value seen. Values are not kept: each is
 * reduced to a 64-bit hash (two 32-bit halves, the cyrb53 mixing scheme) stored in an open-addressing
 * table of typed arrays, with the 0-based index of its first row and a seen-once/duplicated state.
 * Memory: 13 bytes a slot, at most half the slots used, so about 26 bytes per distinct value
 * (~26 MB for 1M distinct values). Two different values share a hash with probability about
 * n^2 / 2^65 (3e-8 for 1M values); such a collision would count as a duplicate.
 */
export function hash64(text: string): [number, number] {
  let a = 0xdeadbeef;
  let b = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    a = Math.imul(a ^ ch, 2654435761);
    b = Math.imul(b ^ ch, 1597334677);
  }
  a = Math.imul(a ^ (a >>> 16), 2246822507);
  a ^= Math.imul(b ^ (b >>> 13), 3266489909);
  b = Math.imul(b ^ (b >>> 16), 2246822507);
  b ^= Math.imul(a ^ (a >>> 13), 3266489909);
  return [a >>> 0, b >>> 0];
}

/** What `add` found: a new value, its second sighting (with the first row's index), or a later one. */
export type Sighting = { kind: 'new' } | { kind: 'second'; firstIndex: number } | { kind: 'again' };

export class CompactHashSet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private first: Uint32Array;
  private state: Uint8Array; // 0 empty, 1 seen once, 2 duplicated
  private used = 0;
  /** Distinct values seen. */
  get size(): number {
    return this.used;
  }

  constructor(initialSlots = 1 << 12) {
    this.hi = new Uint32Array(initialSlots);
    this.lo = new Uint32Array(initialSlots);
    this.first = new Uint32Array(initialSlots);
    this.state = new Uint8Array(initialSlots);
  }

  /** Bytes held by the table (for the memory figure in reports). */
  get bytes(): number {
    return this.state.length * 13;
  }

  /** Records one occurrence of `key` at row `index` (0-based, < 2^32). */
  add(key: string, index: number): Sighting {
    if ((this.used + 1) * 2 > this.state.length) this.grow();
    const [h, l] = hash64(key);
    const slot = this.find(h, l);
    const s = this.state[slot]!;
    if (s === 0) {
      this.hi[slot] = h;
      this.lo[slot] = l;
      this.first[slot] = index;
      this.state[slot] = 1;
      this.used++;
      return { kind: 'new' };
    }
    if (s === 1) {
      this.state[slot] = 2;
      return { kind: 'second', firstIndex: this.first[slot]! };
    }
    return { kind: 'again' };
  }

  private find(h: number, l: number): number {
    const mask = this.state.length - 1;
    let slot = (l ^ Math.imul(h, 0x9e3779b1)) & mask;
    while (this.state[slot] !== 0 && (this.hi[slot] !== h || this.lo[slot] !== l)) slot = (slot + 1) & mask;
    return slot;
  }

  private grow() {
    const { hi, lo, first, state } = this;
    const slots = state.length * 2;
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
    this.first = new Uint32Array(slots);
    this.state = new Uint8Array(slots);
    for (let i = 0; i < state.length; i++) {
      if (state[i] === 0) continue;
      const slot = this.find(hi[i]!, lo[i]!);
      this.hi[slot] = hi[i]!;
      this.lo[slot] = lo[i]!;
      this.first[slot] = first[i]!;
      this.state[slot] = state[i]!;
    }
  }
}
