import { rm } from 'node:fs/promises';
import { mapConcurrent } from '../../concurrency';
import { addReasons } from '../../events/produced';
import type { StepContext } from '../../runtime';
import type { Progress, Publisher } from './publisher';
import type { DayCounts } from './replay';
import type { Flushed } from './sink';

/** Produced markers written at once after a commit (each an S3 PUT). */
const MARKER_WRITES = 24;

/** Where a (source, day) stands in the progress its committed transactions recorded. */
export interface Resume {
  /** Records of the (source, day) already published in a committed transaction, in source order. */
  records: number;
  counts: DayCounts;
}

/** The key of a (source, day) in `PublishPlan.resume`. */
export const pairKey = (uri: string, day: string) => `${day} ${uri}`;

/** What both ways of publishing share: the days, the commits and the markers. */
export interface PublishPlan {
  /** The days to publish, in date order. */
  days: string[];
  /**
   * Days whose records some other source already marked produced (a crash between markers): a
   * source that owes such a day without a record of it is marked too, with zero counts.
   */
  recordedElsewhere: ReadonlySet<string>;
  /** Seconds between transaction commits of an unpaced replay (a crash re-publishes at most that much, never twice). */
  commitSeconds: number;
  /** Each (source, day)'s committed progress, by pairKey (absent: nothing committed). */
  resume: Map<string, Resume>;
  /** The progress record of a (source, day), committed inside each transaction that carries its records. */
  progress: (uri: string, day: string, records: number, counts: DayCounts) => Progress;
  /** Called once a (source, day)'s records are all committed: writes its produced marker. */
  markProduced: (uri: string, day: string, counts: DayCounts) => Promise<void>;
}

/** A (source, day) being published: records read of it, this run's counts and the committed ones before it. */
export interface Pair {
  uri: string;
  day: string;
  read: number;
  /** Records already committed by earlier runs (skipped). */
  skip: number;
  counts: Flushed;
  before: Flushed;
  file?: string | undefined;
}

/** A pair's counts for the whole day: what earlier runs' committed transactions covered, then this run's. */
export const whole = (p: Pair): DayCounts => withoutBytes(add(p.before, p.counts));

/**
 * A day's outcome, its sources together: what this run published (`run`, with its bytes), and
 * what the day holds in all (`whole`: earlier runs' committed records, then this run's). The
 * step's verdict on a day reads `whole`: a re-run that resumes a day its crashed run had fully
 * committed publishes nothing, yet the day is not empty.
 */
export interface DayOutcome {
  run: Flushed;
  whole: DayCounts;
}

/** The outcome of a day from its pairs (none: nothing owed or read). */
export function outcome(pairs: Iterable<Pair>): DayOutcome {
  let run = empty();
  let all = empty();
  for (const p of pairs) {
    run = add(run, p.counts);
    all = add(all, add(p.before, p.counts));
  }
  return { run, whole: withoutBytes(all) };
}

/**
 * The Kafka transactions of a run, which may span days: one every `commitSeconds` and one at the
 * end (so the fixed cost of a commit is paid per transaction, not per day). Each also commits,
 * for every (source, day) it carries records of, how many of that day's records are now committed
 * (`plan.progress`), so a run that dies at any point is resumed by the next one at the first
 * record not committed: nothing is published twice or lost. A (source, day)'s produced marker is
 * written after the commit of the transaction holding its last record.
 */
export class Transactions {
  /** Pairs with records in the open transaction. */
  readonly open = new Set<Pair>();
  /** Pairs whose last record is in the open transaction. */
  finished: Pair[] = [];
  private committedAt = Date.now();

  constructor(
    private readonly ctx: StepContext,
    private readonly publisher: Publisher,
    private readonly plan: PublishPlan,
  ) {}

  /** A (source, day) starting, resumed where earlier runs' committed transactions left it. */
  pair(uri: string, day: string, file?: string): Pair {
    const resume = this.plan.resume.get(pairKey(uri, day));
    const skip = resume?.records ?? 0;
    if (skip) this.ctx.logger.info({ day, uri, skip }, 'resuming after the last committed transaction');
    const before = { eventBytes: 0, ...copy(resume?.counts) };
    const pair: Pair = { uri, day, read: 0, skip, counts: empty(), before, file };
    this.open.add(pair);
    return pair;
  }

  /** True when the open transaction is `commitSeconds` old. */
  due(): boolean {
    return Date.now() - this.committedAt >= this.plan.commitSeconds * 1000;
  }

  async commit(): Promise<void> {
    if (!this.open.size) return;
    const began = Date.now();
    const progress = [...this.open].map((p) => this.plan.progress(p.uri, p.day, p.read, whole(p)));
    await this.publisher.commit(progress);
    this.open.clear();
    const done = this.finished;
    this.finished = [];
    this.committedAt = Date.now();
    await mapConcurrent(done, MARKER_WRITES, async (p) => {
      await this.plan.markProduced(p.uri, p.day, whole(p));
      if (p.file) await rm(p.file, { force: true });
    });
    const ms = { commit: this.committedAt - began, markers: Date.now() - this.committedAt };
    this.ctx.logger.info({ days: progress.length, marked: done.length, ms }, 'transaction committed');
  }
}

/** Logs the publishing rate every two seconds. */
export function rateLog(ctx: StepContext, fields: () => Record<string, unknown>) {
  const started = Date.now();
  let last = started;
  return (done: number) => {
    if (Date.now() - last < 2_000) return;
    last = Date.now();
    ctx.logger.info({ ...fields(), records: done, perSec: Math.round(done / ((last - started) / 1000)) }, 'publishing');
  };
}

export const empty = (): Flushed => ({ events: 0, deadLettered: 0, eventBytes: 0, reasons: {} });

const copy = (c: DayCounts | undefined): Omit<Flushed, 'eventBytes'> => ({
  events: c?.events ?? 0,
  deadLettered: c?.deadLettered ?? 0,
  reasons: { ...c?.reasons },
});

const withoutBytes = (c: Flushed): DayCounts => ({
  events: c.events,
  deadLettered: c.deadLettered,
  reasons: c.reasons,
});

export const add = (a: Flushed, b: Flushed): Flushed => ({
  events: a.events + b.events,
  deadLettered: a.deadLettered + b.deadLettered,
  eventBytes: a.eventBytes + b.eventBytes,
  reasons: addReasons({ ...a.reasons }, b.reasons),
});
