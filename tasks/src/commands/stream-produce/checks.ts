import { InputRejectedError } from '../../errors';
import { topReasons } from '../../events/produced';
import type { DayCounts } from './replay';
import type { Routed } from './route';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** What the whole replay saw, for the checks after it. */
export interface ReplaySeen {
  dt: string;
  to: string;
  days: string[];
  perDay: Record<string, DayCounts>;
  routed: Map<string, Routed>;
  maxDeadLetterShare: number;
}

/** Days of the range that received no record at all (no marker was written for them). */
export function emptyDays(seen: Pick<ReplaySeen, 'days' | 'perDay'>): string[] {
  return seen.days.filter((d) => {
    const c = seen.perDay[d];
    return !c || c.events + c.deadLettered === 0;
  });
}

/**
 * Refuses a replay that published nothing useful: no row dated in the range at all, or a day whose
 * share of dead letters is above the limit (naming each such day's counts and top reasons).
 * @throws InputRejectedError (exit 1); the events already published stay marked, so a re-run
 * reaches the same verdict without publishing them twice.
 */
export function checkReplay(seen: ReplaySeen): void {
  const empty = emptyDays(seen);
  if (empty.length === seen.days.length) {
    const routed = [...seen.routed.values()];
    const records = routed.reduce((n, r) => n + r.records, 0);
    const undated = routed.reduce((n, r) => n + r.undated, 0);
    const firsts = routed
      .map((r) => r.firstDay)
      .filter((d): d is string => !!d)
      .sort();
    const lasts = routed
      .map((r) => r.lastDay)
      .filter((d): d is string => !!d)
      .sort();
    const span = firsts.length
      ? `their dates run ${firsts[0]}..${lasts[lasts.length - 1]}`
      : 'none has a readable date';
    throw new InputRejectedError(
      `no source row is dated ${seen.dt === seen.to ? seen.dt : `${seen.dt}..${seen.to}`}: ${records} row(s) read, ${span}` +
        `${undated && firsts.length ? ` (${undated} without a readable date)` : ''}; nothing was produced`,
      { details: { records, undated, firstDay: firsts[0] ?? null, lastDay: lasts[lasts.length - 1] ?? null } },
    );
  }
  const over = seen.days.flatMap((d) => {
    const c = seen.perDay[d];
    const total = c ? c.events + c.deadLettered : 0;
    if (!c || !total || c.deadLettered / total <= seen.maxDeadLetterShare) return [];
    const reasons = topReasons(c.reasons);
    return [
      `${d}: ${c.deadLettered} of ${total} rows dead-lettered (${pct(c.deadLettered / total)})` +
        `${reasons ? `, top reasons ${reasons}` : ''}`,
    ];
  });
  if (over.length) {
    throw new InputRejectedError(
      `dead letters above --max-dead-letter-share ${pct(seen.maxDeadLetterShare)}: ${over.join('; ')}` +
        ' (read them on the dead-letter topic; correct the source and re-run ingest-raw, or raise the limit)',
      { details: { days: over.length } },
    );
  }
}
