/**
 * A HyperLogLog distinct-count estimate (Flajolet et al. 2007) with 2^14 registers: 16 KiB per
 * column and a standard error of about 0.8%, whatever the number of values. The profiler counts
 * exactly while a column has few distinct values and falls back to this beyond.
 */
const P = 14;
const M = 1 << P;
const ALPHA = 0.7213 / (1 + 1.079 / M);

/** FNV-1a over UTF-16 units, then murmur3's finaliser so every bit depends on every input bit. */
export function hash32(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class HyperLogLog {
  private readonly registers = new Uint8Array(M);

  add(value: string): void {
    const h = hash32(value);
    const index = h >>> (32 - P);
    // Rank = position of the first 1 bit in the remaining 18 bits (18 + 1 when they are all 0).
    const rest = (h << P) | (1 << (P - 1));
    const rank = Math.clz32(rest) + 1;
    if (rank > this.registers[index]!) this.registers[index] = rank;
  }

  /** The estimated number of distinct values added. */
  estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      sum += 2 ** -this.registers[i]!;
      if (this.registers[i] === 0) zeros++;
    }
    const raw = (ALPHA * M * M) / sum;
    // Small cardinalities: linear counting is more accurate.
    if (raw <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
    return Math.round(raw);
  }
}
