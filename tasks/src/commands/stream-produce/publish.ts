import type { StepContext } from '../../runtime';
import type { Publisher } from './publisher';
import type { Conversion } from './replay';
import type { Spilled } from './route';
import { RecordSink } from './sink';
import { readSpill } from './spill';
import { outcome, rateLog, Transactions, type DayOutcome, type Pair, type PublishPlan } from './transactions';

/** How often (records) the publishing loop yields to the event loop, paces, logs and checks for a stop request. */
const STEP = 64;

/**
 * Resolves after the event loop has run its pending I/O callbacks. Awaiting a settled promise
 * does not: it only runs microtasks, so a loop that rarely waits starves its own requests.
 */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Sleeps so that `done` of `total` records go out at the matching share of `secondsPerDay`. */
function pacer(secondsPerDay: number, total: number, signal: AbortSignal) {
  const started = Date.now();
  return async (done: number) => {
    if (secondsPerDay <= 0 || total <= 0) return;
    const due = started + (Math.min(done, total) / total) * secondsPerDay * 1000;
    const wait = due - Date.now();
    if (wait > 0 && !signal.aborted) await new Promise((r) => setTimeout(r, wait));
  };
}

/** A paced replay: days in date order, each from its sources' spill files. */
export interface PacedPlan extends PublishPlan {
  conversion: Conversion;
  /** Raw objects that owe each day, in order, with their spill files. */
  sources: (day: string) => { uri: string; routed: Spilled }[];
  speed: number;
}

/**
 * A paced replay (`speed` > 0): days in date order, each source's spill file in order, a commit
 * at every step so events become visible when due, and at each day's end.
 * @returns the outcome of each day some source owed (this run's counts and the whole day's).
 */
export async function publishPaced(ctx: StepContext, publisher: Publisher, plan: PacedPlan) {
  const tx = new Transactions(ctx, publisher, plan);
  const sink = new RecordSink(publisher, plan.conversion);
  const perDay = new Map<string, DayOutcome>();
  for (const day of plan.days) {
    const sources = plan.sources(day);
    const expected = sources.reduce((n, s) => n + (s.routed.spills.get(day)?.records ?? 0), 0);
    if (!sources.length) continue;
    // A day without a record is not produced: no marker, so later steps can tell it was empty.
    // Unless an earlier run marked its records from another source: then these sources are marked
    // with zero counts, so a re-run skips the day.
    perDay.set(day, outcome([]));
    if (expected === 0) {
      if (!plan.recordedElsewhere.has(day)) continue;
      tx.finished.push(...sources.map(({ uri }) => tx.pair(uri, day)));
      await tx.commit();
      continue;
    }
    const started = Date.now();
    const pace = pacer(plan.speed, expected, ctx.signal);
    let done = 0;
    let skipped = 0;
    const log = rateLog(ctx, () => ({ day, of: expected }));
    const pairs: Pair[] = [];
    for (const { uri, routed } of sources) {
      const spill = routed.spills.get(day);
      const pair = tx.pair(uri, day, spill?.file);
      pairs.push(pair);
      sink.countInto(pair.counts);
      if (spill) {
        for await (const chunk of readSpill(spill.file)) {
          for (let i = 0; i < chunk.count; i++) {
            if (++pair.read <= pair.skip) {
              skipped++;
              continue;
            }
            const full = sink.add(uri, chunk.rows[i]!, chunk.data, chunk.starts[i]!, chunk.ends[i]!);
            if (full) await full;
            if (++done % STEP) continue;
            await yieldToEventLoop();
            ctx.throwIfStopped();
            await pace(done + skipped);
            await tx.commit();
            tx.open.add(pair);
            log(done);
          }
        }
      }
      // Its last record is in the open transaction: the marker follows that transaction's commit.
      tx.finished.push(pair);
    }
    // A paced day is visible when due: its last records are committed before the next day starts.
    await tx.commit();
    const counted = outcome(pairs);
    perDay.set(day, counted);
    const { run } = counted;
    ctx.logger.info(
      { day, events: run.events, deadLettered: run.deadLettered, published: done, ms: Date.now() - started },
      'day replayed',
    );
  }
  return perDay;
}
