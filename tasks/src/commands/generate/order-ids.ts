import { Prng } from './prng';

const HALF = 10_000_000; // 10^7: each half of `ddd-DDDDDDD-DDDDDDD` after the prefix

/**
 * Order numbers that look random but never repeat: the n-th order's 14 digits are a keyed
 * permutation of n (a 4-round Feistel network over two 7-digit halves), so uniqueness holds at any
 * file size without remembering the ids handed out. All products stay below 2^53.
 */
export class OrderIds {
  private readonly keys: [number, number][];
  private next = 0;

  constructor(seed: number) {
    const rng = Prng.derive(seed, 'order-ids');
    this.keys = Array.from({ length: 4 }, () => [1 + rng.int(HALF - 1), rng.int(HALF)]);
  }

  /** The next unused 14-digit number as `DDDDDDD-DDDDDDD`. */
  take(): string {
    const n = this.next++;
    if (n >= HALF * HALF) throw new Error('order id space exhausted');
    let left = Math.floor(n / HALF);
    let right = n % HALF;
    for (const [mul, add] of this.keys) {
      const mixed = (left + ((right * mul + add) % HALF)) % HALF;
      left = right;
      right = mixed;
    }
    return `${String(left).padStart(7, '0')}-${String(right).padStart(7, '0')}`;
  }
}
