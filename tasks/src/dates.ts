/** ISO calendar date `YYYY-MM-DD`, validated as a real day (no 2022-02-30). */
export function parseIsoDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Error(`expected a date as YYYY-MM-DD, got "${value}"`);
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new Error(`"${value}" is not a calendar date`);
  }
  return value;
}
