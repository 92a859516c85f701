import { ServiceError } from '../../src/errors';
import { withRetry } from '../../src/retry';

const noSleep = { sleep: async () => undefined, random: () => 1 };

describe('withRetry', () => {
  it('retries retriable errors with exponential, capped delays and then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const value = await withRetry(
      async () => {
        calls++;
        if (calls < 4) throw new ServiceError('blip', { retriable: true });
        return 'done';
      },
      { attempts: 5, initialDelayMs: 100, maxDelayMs: 250, onRetry: (_e, _a, d) => delays.push(d), ...noSleep },
    );
    expect(value).toBe('done');
    expect(delays).toEqual([100, 200, 250]);
  });

  it('does not retry an error that is not retriable', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new ServiceError('access denied');
        },
        { attempts: 5, initialDelayMs: 1, maxDelayMs: 1, ...noSleep },
      ),
    ).rejects.toThrow('access denied');
    expect(calls).toBe(1);
  });

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async (attempt) => {
          calls++;
          throw new ServiceError(`fail ${attempt}`, { retriable: true });
        },
        { attempts: 3, initialDelayMs: 1, maxDelayMs: 1, ...noSleep },
      ),
    ).rejects.toThrow('fail 3');
    expect(calls).toBe(3);
  });

  it('applies full jitter: the delay is a random share of the bound', async () => {
    const delays: number[] = [];
    await expect(
      withRetry(
        async () => {
          throw new ServiceError('x', { retriable: true });
        },
        {
          attempts: 2,
          initialDelayMs: 1000,
          maxDelayMs: 5000,
          onRetry: (_e, _a, d) => delays.push(d),
          sleep: async () => undefined,
          random: () => 0.25,
        },
      ),
    ).rejects.toThrow('x');
    expect(delays).toEqual([250]);
  });

  it('ends with the stop reason once stopped: a failed attempt is not retried, nor waited after', async () => {
    const stop = new AbortController();
    const reason = new Error('SIGTERM');
    let calls = 0;
    const run = withRetry(
      async () => {
        calls++;
        // Stopped while the attempt was in flight; the attempt fails as any other would.
        stop.abort(reason);
        throw new ServiceError('access denied');
      },
      { attempts: 5, initialDelayMs: 1, maxDelayMs: 1, signal: stop.signal, ...noSleep },
    );
    await expect(run).rejects.toBe(reason);
    expect(calls).toBe(1);
  });

  it('a stop during the wait before the next attempt ends the wait with the stop reason', async () => {
    const stop = new AbortController();
    const reason = new Error('SIGTERM');
    let calls = 0;
    const run = withRetry(
      async () => {
        calls++;
        throw new ServiceError('blip', { retriable: true });
      },
      // The real sleep, for a minute: only the stop can end it within the test's timeout.
      { attempts: 3, initialDelayMs: 60_000, maxDelayMs: 60_000, signal: stop.signal, random: () => 1 },
    );
    await new Promise((resolve) => setImmediate(resolve));
    stop.abort(reason);
    await expect(run).rejects.toBe(reason);
    expect(calls).toBe(1);
  });
});
