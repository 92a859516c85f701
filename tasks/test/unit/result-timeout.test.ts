import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ServiceError } from '../../src/errors';
import { runStep } from '../../src/runtime';

/** A TCP server that accepts connections and never answers: a paused S3 store, as the lander met it. */
async function silentStore() {
  const sockets = new Set<Socket>();
  const store = { server: undefined as unknown as Server, url: '', sockets, connections: 0 };
  store.server = createServer((s) => {
    store.connections++;
    sockets.add(s.on('close', () => sockets.delete(s)));
  });
  await new Promise<void>((resolve) => store.server.listen(0, '127.0.0.1', resolve));
  store.url = `http://127.0.0.1:${(store.server.address() as { port: number }).port}`;
  return store;
}

/** Fails the test with a clear message if `p` has not settled by then, instead of hanging jest. */
function within<T>(ms: number, p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still had not ended after ${ms / 1000} s: it hangs`)), ms);
  });
  return Promise.race([p, hung]).finally(() => clearTimeout(timer));
}

describe('the step result write to S3 is bounded', () => {
  const saved = { ...process.env };
  let store: Awaited<ReturnType<typeof silentStore>>;

  beforeEach(async () => {
    store = await silentStore();
    Object.assign(process.env, {
      SALES_PIPELINE_ENV_FILE: '/nonexistent/env',
      PIPELINE_PROFILE: 'local',
      S3_ENDPOINT: store.url,
      S3_BUCKET: 'results-bucket',
      S3_ACCESS_KEY_ID: 'test-key',
      S3_SECRET_ACCESS_KEY: 'test-secret',
      // Long enough for a loaded CI worker to reach the store before the bound: 0.5 s once
      // timed out before the request had connected, and the store saw no connection.
      S3_RESULT_TIMEOUT_SECONDS: '2',
      LOG_LEVEL: 'silent',
    });
  });

  afterEach(async () => {
    process.env = { ...saved };
    for (const s of store.sockets) s.destroy();
    await new Promise((resolve) => store.server.close(resolve));
  });

  it('a step that succeeded fails (exit 3) naming the S3 store when the store never answers the result write', async () => {
    const xcomPath = path.join(mkdtempSync(path.join(tmpdir(), 'xcom-')), 'return.json');
    const step = runStep('stream-land', { xcomPath }, async () => 'landed', { writeResult: true });
    const error = await within(
      20_000,
      step.then(
        () => undefined,
        (e: unknown) => e,
      ),
      'runStep',
    );
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).exitCode).toBe(3);
    expect((error as Error).message).toBe(
      `the S3 store (bucket results-bucket at ${store.url}) did not answer the step result write within 2 s (S3_RESULT_TIMEOUT_SECONDS)`,
    );
    expect(store.connections).toBeGreaterThan(0); // the write did reach the store
    // The XCom file was written before S3 was asked, with the step's own verdict.
    expect(JSON.parse(readFileSync(xcomPath, 'utf8'))).toMatchObject({ step: 'stream-land', status: 'succeeded' });
  }, 30_000);

  it('a step that failed keeps its own error when the result write also times out', async () => {
    const xcomPath = path.join(mkdtempSync(path.join(tmpdir(), 'xcom-')), 'return.json');
    const own = new Error('failing sink: the S3 store');
    const step = runStep('stream-land', { xcomPath }, async () => Promise.reject(own), { writeResult: true });
    await expect(within(20_000, step, 'runStep')).rejects.toBe(own);
  }, 30_000);
});
