import { addDays, dateRange } from '../dates';

/** The dates one analysis build covers. */
export interface AnalysisRange {
  from: string;
  to: string;
}

/** Days of the range with no fact rows, oldest first. */
export function missingDays(range: AnalysisRange, loaded: Iterable<string>): string[] {
  const present = new Set(loaded);
  return dateRange(range.from, range.to).filter((d) => !present.has(d));
}

/**
 * Collapses days into readable runs: `2022-04-01..2022-04-03, 2022-04-07`. A long list of missing
 * days reads as the ranges a user would backfill.
 */
export function describeDays(days: string[]): string {
  const runs: string[] = [];
  let start: string | undefined;
  let prev: string | undefined;
  const close = () => {
    if (start) runs.push(start === prev ? start : `${start}..${prev}`);
  };
  for (const d of days) {
    if (prev && addDays(prev, 1) === d) {
      prev = d;
      continue;
    }
    close();
    start = d;
    prev = d;
  }
  close();
  return runs.join(', ');
}
