import { parseSourceDate } from '../../events/to-event';
import { HyperLogLog } from './sketch';

/** Exact counting stops at this many distinct values per column; a HyperLogLog takes over. */
export const EXACT_DISTINCT = 50_000;
/** Numeric values are counted exactly (per paisa) up to this many distinct values, in ever wider buckets beyond. */
const EXACT_NUMBERS = 100_000;
const DECIMAL = /^-?\d+(\.\d+)?$/;

export interface NumericStats {
  count: number;
  sum: number;
  mean: number;
  median: number;
  medianApprox: boolean;
  min: number;
  max: number;
  zeros: number;
  fractional: number;
}

export interface DateStats {
  min: string;
  max: string;
  days: number;
  missingDays: string[];
  perDay: Record<string, number>;
}

export interface ColumnProfile {
  name: string;
  nulls: number;
  nullRate: number;
  distinct: number;
  distinctApprox: boolean;
  top: { value: string; count: number }[];
  topApprox: boolean;
  numeric?: NumericStats;
  date?: DateStats & { unparseable: number };
}

/** A flat copy of a string that may be a slice of a much larger one (V8 keeps the parent alive). */
const own = (s: string) => ` ${s}`.slice(1);

/** Accumulates one column in one pass: nulls, distinct values, top values, and numeric or date stats. */
export class ColumnStats {
  private nulls = 0;
  private values = 0;
  private counts: Map<string, number> | null = new Map();
  private frozen: Map<string, number> | null = null;
  private readonly hll = new HyperLogLog();
  private numeric = true;
  private sumPaise = 0;
  private numbers = new Map<number, number>();
  /** Bucket width in paise for the median: 1 (exact), then 100, 1,000... as distinct values pile up. */
  private width = 1;
  private zeros = 0;
  private fractional = 0;
  private min = Infinity;
  private max = -Infinity;
  private dateLike = true;
  private unparseableDates = 0;
  private readonly days = new Map<string, number>();

  constructor(readonly name: string) {}

  add(value: string): void {
    if (value === '') {
      this.nulls++;
      return;
    }
    this.values++;
    if (this.counts) {
      const n = this.counts.get(value);
      // A new key is copied: a field sliced from a record would otherwise keep the whole read chunk alive.
      if (n === undefined) this.counts.set(own(value), 1);
      else this.counts.set(value, n + 1);
      if (this.counts.size > EXACT_DISTINCT) {
        // Keep counting the values already seen (approximate top values); estimate distinct from here on.
        this.frozen = this.counts;
        this.counts = null;
        for (const seen of this.frozen.keys()) this.hll.add(seen);
      }
    } else {
      this.hll.add(value);
      const n = this.frozen!.get(value);
      if (n !== undefined) this.frozen!.set(value, n + 1);
    }
    if (this.numeric) this.addNumber(value);
    if (this.dateLike) this.addDate(value);
  }

  private addNumber(value: string): void {
    if (!DECIMAL.test(value)) {
      this.numeric = false;
      return;
    }
    // Exact for amounts (two decimals) below 2^53 paise; longer fractions round to the paisa.
    const paise = Math.round(Number(value) * 100);
    this.sumPaise += paise;
    if (paise === 0) this.zeros++;
    if (paise % 100 !== 0) this.fractional++;
    if (paise < this.min) this.min = paise;
    if (paise > this.max) this.max = paise;
    const bucket = Math.floor(paise / this.width) * this.width;
    this.numbers.set(bucket, (this.numbers.get(bucket) ?? 0) + 1);
    if (this.numbers.size > EXACT_NUMBERS) this.coarsen();
  }

  private coarsen(): void {
    this.width *= this.width === 1 ? 100 : 10;
    const wider = new Map<number, number>();
    for (const [p, n] of this.numbers) {
      const b = Math.floor(p / this.width) * this.width;
      wider.set(b, (wider.get(b) ?? 0) + n);
    }
    this.numbers = wider;
  }

  private addDate(value: string): void {
    const iso = parseSourceDate(value);
    if (iso) this.days.set(iso, (this.days.get(iso) ?? 0) + 1);
    else if (++this.unparseableDates > 100 && this.unparseableDates > this.values / 2) this.dateLike = false;
  }

  result(rows: number, topN: number): ColumnProfile {
    const counts = this.counts ?? this.frozen!;
    const top = [...counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, topN)
      .map(([value, count]) => ({ value, count }));
    const profile: ColumnProfile = {
      name: this.name,
      nulls: this.nulls,
      nullRate: rows ? this.nulls / rows : 0,
      distinct: this.counts ? this.counts.size : this.hll.estimate(),
      distinctApprox: !this.counts,
      top,
      topApprox: !this.counts,
    };
    if (this.numeric && this.values) profile.numeric = this.numericStats();
    if (this.dateLike && this.days.size) profile.date = { ...dateStats(this.days), unparseable: this.unparseableDates };
    return profile;
  }

  private numericStats(): NumericStats {
    const sorted = [...this.numbers].sort((a, b) => a[0] - b[0]);
    let seen = 0;
    let median = 0;
    for (const [value, n] of sorted) {
      seen += n;
      if (seen * 2 >= this.values) {
        median = value;
        break;
      }
    }
    return {
      count: this.values,
      sum: this.sumPaise / 100,
      mean: this.sumPaise / 100 / this.values,
      median: median / 100,
      medianApprox: this.width > 1,
      min: this.min / 100,
      max: this.max / 100,
      zeros: this.zeros,
      fractional: this.fractional,
    };
  }
}

/** Range, coverage and gaps of a set of ISO days. */
export function dateStats(days: Map<string, number>): DateStats {
  const sorted = [...days.keys()].sort();
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  const missingDays: string[] = [];
  for (let d = new Date(`${min}T00:00:00Z`); d.toISOString().slice(0, 10) < max; d.setUTCDate(d.getUTCDate() + 1)) {
    const iso = d.toISOString().slice(0, 10);
    if (!days.has(iso)) missingDays.push(iso);
  }
  return { min, max, days: days.size, missingDays, perDay: Object.fromEntries([...days].sort()) };
}
