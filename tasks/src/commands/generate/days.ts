import { DAY_AMOUNT, MONTH_AMOUNT } from './figures';
import { Prng } from './prng';

/** Every ISO date from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) {
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

/**
 * Lines per day, summing exactly to `rows`: each day weighs its month's amount per day in the full
 * file (so 2022-03-31, the partial first day, gets ~0.13% of the lines, April days more than June
 * days), times a ±8% day-to-day wobble fixed by the seed. Rounded by largest remainder.
 */
export function linesPerDay(rows: number, days: readonly string[], seed: number): Map<string, number> {
  const rng = Prng.derive(seed, 'days');
  const known = Object.values(MONTH_AMOUNT);
  const average = known.reduce((s, m) => s + m.total, 0) / known.reduce((s, m) => s + m.days, 0);
  const weights = days.map((d) => {
    const month = MONTH_AMOUNT[d.slice(0, 7)];
    const base = DAY_AMOUNT[d] ?? (month ? month.total / month.days : average);
    return base * (0.92 + 0.16 * rng.float());
  });
  const total = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (rows * w) / total);
  const counts = exact.map(Math.floor);
  let left = rows - counts.reduce((s, c) => s + c, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (left-- <= 0) break;
    counts[i]!++;
  }
  return new Map(days.map((d, i) => [d, counts[i]!]));
}
