import { ServiceError } from '../../errors';

/** Which sink an error came from: the S3 store (bronze) or the Kafka cluster (fetches, commits). */
export type Sink = 's3' | 'kafka';

/** An error of one of the lander's sinks, named so the step's message says which one failed. */
export class SinkError extends ServiceError {
  constructor(
    readonly sink: Sink,
    readonly where: string,
    cause: unknown,
  ) {
    const what = sink === 's3' ? `the S3 store (${where})` : `Kafka (${where})`;
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    // Retriable: kafkajs retries the batch a few times before it counts as a crash.
    super(`${what} failed: ${reason}`, { cause, retriable: true, details: { sink, where } });
  }
}

/** Our SinkError inside `error` (kafkajs wraps what eachBatch throws), if any. */
function sinkError(error: unknown): SinkError | undefined {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof SinkError) return e;
  }
  return undefined;
}

/** The sink an error names: ours (found through kafkajs's wrapping), else kafkajs's own errors. */
export function sinkOf(error: unknown): Sink | undefined {
  const ours = sinkError(error);
  if (ours) return ours.sink;
  const message = error instanceof Error ? error.message : '';
  if (/the S3 store \(/.test(message)) return 's3';
  const name = (error as { name?: string } | undefined)?.name ?? '';
  return name.startsWith('KafkaJS') ? 'kafka' : undefined;
}

export interface WatchLimits {
  /** Consumer restarts (kafkajs restarts it after each crash) before the lander gives up. */
  maxRestarts: number;
  /** Milliseconds without the group's committed offsets moving before the lander gives up. */
  stallMs: number;
}

/**
 * Bounds a landing run. kafkajs restarts a crashed consumer on its own, so a sink that keeps
 * failing (an S3 store that is down, a bucket that refuses writes) would make the step retry
 * forever; and a partition whose remaining records are all filtered out (transaction markers,
 * aborted records) never reaches `eachBatch`. The watch counts restarts, remembers the last error,
 * and measures progress as the sum of the group's committed offsets: the step fails naming the
 * sink once restarts run out or nothing was committed for `stallMs`. Pure (time is passed in).
 */
export class LandingWatch {
  restarts = 0;
  lastError: unknown;
  /** The sink a batch is waiting on right now (a call that never answers fails no request). */
  waitingOn: Sink | undefined;
  private committed = -1n;
  private movedAt: number;

  constructor(
    private readonly limits: WatchLimits,
    now: number,
  ) {
    this.movedAt = now;
  }

  /** kafkajs's restartOnFailure: true while restarts remain. */
  crashed(error: unknown): boolean {
    this.lastError = error;
    this.restarts++;
    return this.restarts <= this.limits.maxRestarts;
  }

  /** Records the group's committed offsets (summed over partitions); more than before is progress. */
  progress(committed: Map<number, bigint>, now: number): void {
    const sum = [...committed.values()].reduce((a, b) => a + b, 0n);
    if (sum > this.committed) {
      this.committed = sum;
      this.movedAt = now;
    }
  }

  /** The error to fail with, or undefined while the run may go on. */
  verdict(now: number): ServiceError | undefined {
    if (this.restarts > this.limits.maxRestarts) {
      return this.failure(`gave up after ${this.limits.maxRestarts} consumer restart(s)`);
    }
    if (now - this.movedAt > this.limits.stallMs) {
      return this.failure(`no offset committed for ${Math.round(this.limits.stallMs / 1000)} s`);
    }
    return undefined;
  }

  private failure(why: string): ServiceError {
    const error = this.lastError;
    const sink = this.waitingOn ?? sinkOf(error);
    const last =
      error === undefined
        ? this.waitingOn
          ? `a batch has been waiting on it since then`
          : 'no error was reported (a partition without a leader, or a transaction left open?)'
        : `last error: ${(sinkError(error) ?? (error instanceof Error ? error : { message: String(error) })).message}`;
    const named = sink === 's3' ? 'the S3 store' : sink === 'kafka' ? 'Kafka' : 'an unknown sink';
    return new ServiceError(`stream-land ${why}; failing sink: ${named}; ${last}`, {
      cause: error,
      details: { sink: sink ?? null, restarts: this.restarts },
    });
  }
}
