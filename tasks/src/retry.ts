import { setTimeout as delay } from 'node:timers/promises';
import { PipelineError } from './errors';

export interface RetryOptions {
  /** Attempts in total, the first included. */
  attempts: number;
  /** Delay before the second attempt, in milliseconds; doubles each time. */
  initialDelayMs: number;
  /** Upper bound of one delay, in milliseconds. */
  maxDelayMs: number;
  /** Called before each wait, e.g. to log the attempt. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Decides whether an error is worth another attempt; default: PipelineError.retriable. */
  isRetriable?: (error: unknown) => boolean;
  /**
   * A stop request: once aborted, a failed attempt or the wait before the next one ends the retries
   * with the signal's reason.
   */
  signal?: AbortSignal | undefined;
  /** Injected for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export const defaultRetry: RetryOptions = { attempts: 5, initialDelayMs: 200, maxDelayMs: 5_000 };

const realSleep = (ms: number, signal?: AbortSignal) =>
  delay(ms, undefined, { signal }).catch((error: unknown) => {
    throw signal?.aborted ? signal.reason : error;
  });

/**
 * Runs `fn` until it succeeds, an error is not retriable, or the attempts run out.
 * Delays grow exponentially with "full jitter" (a random delay up to the exponential bound),
 * so many pods retrying at once do not hit a recovering service in lockstep.
 * @throws the last error seen.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const isRetriable = options.isRetriable ?? ((e) => e instanceof PipelineError && e.retriable);
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (attempt >= options.attempts || !isRetriable(error)) throw error;
      const bound = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.round(bound * random());
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, options.signal);
    }
  }
}
