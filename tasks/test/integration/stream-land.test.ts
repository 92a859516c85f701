import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateBucketCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { createKafka } from '../../src/clients/kafka';
import { createS3Client } from '../../src/clients/s3';
import { repoRoot, sampleSourceFile } from '../../src/paths';
import { readBronze as bronze, freshTopics, quietLogger, runStepCli, stackConfig, uniqueSuffix } from './helpers';
import { s3Gate, type GateRequest } from './s3-gate';

const dir = mkdtempSync(path.join(tmpdir(), 'land-'));
const cliJs = path.join(repoRoot, 'tasks', 'dist', 'cli.js');
const COPIES = 3;

describe('stream-land', () => {
  let s3: S3Client;
  let kafka: ReturnType<typeof createKafka>;
  let topics: Awaited<ReturnType<typeof freshTopics>>;
  beforeAll(async () => {
    s3 = createS3Client(stackConfig());
    kafka = createKafka(stackConfig(), quietLogger());
    topics = await freshTopics(kafka, 'land');
  });
  afterAll(async () => {
    s3.destroy();
    await topics.drop();
  });

  /** The sample's 2022-04-30 (a day of ~1.5k lines) ingested and produced under a dataset. */
  async function produceSampleDay(dataset: string) {
    expect((await runStepCli(['ingest-raw', '--dt', '2022-04-30', '--dataset', dataset])).code).toBe(0);
    expect(
      (await runStepCli(['stream-produce', '--dt', '2022-04-30', '--dataset', dataset, ...topics.produce])).code,
    ).toBe(0);
  }

  /** The sample's source rows of 2022-04-30, as CSV fields. */
  const sampleDay = () =>
    (parse(readFileSync(sampleSourceFile), { from_line: 2 }) as string[][]).filter((r) => r[2] === '04-30-22');

  async function freshBucket() {
    const bucket = `land-${uniqueSuffix()}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    return bucket;
  }

  it('lands the real sample day row for row: source rows = bronze rows, no duplicate keys; a re-run lands nothing', async () => {
    const dataset = `itest-${uniqueSuffix()}`;
    await produceSampleDay(dataset);
    const bucket = await freshBucket();
    const group = `itest-land-${uniqueSuffix()}`;
    const landed = await runStepCli(['stream-land', '--group', group, ...topics.land], { S3_BUCKET: bucket });
    expect(landed.code).toBe(0);

    const source = sampleDay();
    const rows = await bronze(s3, bucket, dataset);
    expect(rows.map((r) => [r.order_id, r.sku, r.amount])).toEqual(source.map((r) => [r[1], r[8], r[15] || null]));
    expect(new Set(rows.map((r) => `${r.order_id}|${r.sku}`)).size).toBe(rows.length);

    const again = await runStepCli(['stream-land', '--group', group, ...topics.land], { S3_BUCKET: bucket });
    expect(again.result.status).toBe('unchanged');
    // Producing the same day again publishes nothing, so bronze stays as it is.
    expect(
      (await runStepCli(['stream-produce', '--dt', '2022-04-30', '--dataset', dataset, ...topics.produce])).result
        .counts,
    ).toEqual({
      days_already_produced: 1,
    });
    expect(
      (await runStepCli(['stream-land', '--group', group, ...topics.land], { S3_BUCKET: bucket })).result.status,
    ).toBe('unchanged');
    expect(await bronze(s3, bucket, dataset)).toEqual(rows);
  });

  it("lands a day committed behind another producer's open transaction, once that transaction ends", async () => {
    // Another producer (a backfill of another date, say) opens a transaction on every partition and
    // holds it: the partitions' last stable offsets stay behind it until it ends.
    const other = kafka.producer({
      transactionalId: `itest-open-${uniqueSuffix()}`,
      maxInFlightRequests: 1,
      idempotent: true,
    });
    await other.connect();
    const open = await other.transaction();
    await open.send({
      topic: topics.topic,
      messages: [0, 1, 2].map((partition) => ({ partition, value: '{"left":"open"}' })),
    });
    try {
      const dataset = `itest-${uniqueSuffix()}`;
      await produceSampleDay(dataset);
      const bucket = await freshBucket();
      const group = `itest-open-${uniqueSuffix()}`;
      const landing = runStepCli(['stream-land', '--group', group, ...topics.land], { S3_BUCKET: bucket });
      await sleep(3_000);
      await open.abort();
      const landed = await landing;
      expect(landed.code).toBe(0);
      const source = sampleDay();
      const rows = await bronze(s3, bucket, dataset);
      expect(rows.map((r) => r.order_id)).toEqual(source.map((r) => r[1]));
      // The abort's markers came after this run's end offsets: the next run reads only them.
      const again = await runStepCli(['stream-land', '--group', group, ...topics.land], { S3_BUCKET: bucket });
      expect([again.code, again.result.status, again.result.counts]).toEqual([0, 'unchanged', {}]);
      expect(await bronze(s3, bucket, dataset)).toEqual(rows);
    } finally {
      await other.disconnect();
    }
  }, 120_000);

  it('after SIGKILL mid-stream and a restart, bronze equals a clean run: no loss, no duplicate', async () => {
    // A bigger day: the sample's rows three times over, with distinct order ids.
    const dataset = `itest-${uniqueSuffix()}`;
    const lines = readFileSync(sampleSourceFile, 'utf8').split('\n');
    const header = lines[0]!;
    const body = lines.slice(1).filter(Boolean);
    const out = [header];
    for (let copy = 0; copy < COPIES; copy++) {
      for (const l of body) {
        out.push(l.replace(/^(\d+),([^,]+),\d\d-\d\d-22,/, (_m, index, id) => `${index},${id}-c${copy},04-30-22,`));
      }
    }
    const file = path.join(dir, 'big.csv');
    writeFileSync(file, `${out.join('\n')}\n`);
    expect((await runStepCli(['ingest-raw', '--dt', '2022-04-30', '--source', file, '--dataset', dataset])).code).toBe(
      0,
    );
    const produced = await runStepCli([
      'stream-produce',
      '--dt',
      '2022-04-30',
      '--dataset',
      dataset,
      ...topics.produce,
    ]);
    expect(produced.result.counts.events).toBe(body.length * COPIES);

    // Clean run.
    const clean = await freshBucket();
    expect(
      (
        await runStepCli(['stream-land', '--group', `itest-clean-${uniqueSuffix()}`, ...topics.land], {
          S3_BUCKET: clean,
        })
      ).code,
    ).toBe(0);

    // Killed run, then a restart with the same group.
    const killed = await freshBucket();
    const group = `itest-kill-${uniqueSuffix()}`;
    // The lander's writes go through a gate that holds its second bronze data object (batch
    // manifests under _batches/ pass): the kill then comes after one data object is written and
    // before the rest, with work certainly left undone. The SDK sends '=' in a path as %3D.
    const objectKey = (r: GateRequest) => r.url.split('?')[0]!;
    const bronzeWrite = (r: GateRequest) =>
      r.method === 'PUT' && /\/lake\/bronze\/order_lines\/dataset(=|%3D)/i.test(objectKey(r));
    const gate = await s3Gate(
      stackConfig().s3.endpoint!,
      (r, seen) => bronzeWrite(r) && seen.some((o) => bronzeWrite(o) && objectKey(o) !== objectKey(r)),
    );
    const env = { ...process.env, S3_BUCKET: killed, S3_ENDPOINT: gate.endpoint, LOG_LEVEL: 'silent' };
    const child = spawn(
      process.execPath,
      [cliJs, 'stream-land', '--group', group, ...topics.land, '--xcom-path', path.join(dir, 'k.json')],
      {
        env,
        stdio: 'ignore',
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, s) => resolve(s)));
    try {
      await Promise.race([
        gate.waitHeld(1, 60_000),
        exited.then((s) => Promise.reject(new Error(`the lander ended (${s}) before its second data object`))),
      ]);
      // The first data object's write, let through, has finished.
      let written = 0;
      for (const deadline = Date.now() + 10_000; !written && Date.now() < deadline; await sleep(50)) {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: killed, Prefix: 'lake/bronze/order_lines/dataset=' }),
        );
        written = page.KeyCount ?? 0;
      }
      expect(written).toBeGreaterThan(0);
    } finally {
      child.kill('SIGKILL');
      await gate.close();
    }
    expect(await exited).toBe('SIGKILL');
    const restarted = await runStepCli(['stream-land', '--group', group, ...topics.land], { S3_BUCKET: killed });
    expect(restarted.code).toBe(0);
    expect(restarted.result.counts.landed).toBeGreaterThan(0); // the kill did leave work undone

    const expected = await bronze(s3, clean, dataset);
    const got = await bronze(s3, killed, dataset);
    expect(expected).toHaveLength(body.length * COPIES);
    expect(got.map((r) => [r.order_id, r.sku, r.amount, r.row])).toEqual(
      expected.map((r) => [r.order_id, r.sku, r.amount, r.row]),
    );
  }, 240_000); // produces ~17k events and lands the whole topic twice

  it('a bucket that refuses every write: exits 3 after the bounded restarts, naming the S3 store (no hang)', async () => {
    const dataset = `itest-${uniqueSuffix()}`;
    expect((await runStepCli(['ingest-raw', '--dt', '2022-04-29', '--dataset', dataset])).code).toBe(0);
    expect(
      (await runStepCli(['stream-produce', '--dt', '2022-04-29', '--dataset', dataset, ...topics.produce])).code,
    ).toBe(0);
    const missing = `no-such-bucket-${uniqueSuffix()}`;
    const group = `itest-refused-${uniqueSuffix()}`;
    const refused = await runStepCli(['stream-land', '--group', group, '--max-restarts', '1', ...topics.land], {
      S3_BUCKET: missing,
    });
    expect(refused.code).toBe(3);
    expect(refused.result.error.message).toMatch(/gave up after 1 consumer restart\(s\); failing sink: the S3 store/);
    expect(refused.result.error.message).toContain(`bucket ${missing}`);
  }, 120_000);

  it('an S3 store that stops answering: exits 3 once no offset moved for --stall-seconds, naming it (no hang)', async () => {
    const dataset = `itest-${uniqueSuffix()}`;
    expect((await runStepCli(['ingest-raw', '--dt', '2022-04-28', '--dataset', dataset])).code).toBe(0);
    expect(
      (await runStepCli(['stream-produce', '--dt', '2022-04-28', '--dataset', dataset, ...topics.produce])).code,
    ).toBe(0);
    const group = `itest-stall-${uniqueSuffix()}`;
    const bucket = await freshBucket();
    const pid = Number(readFileSync(path.join(repoRoot, '.local', 's3', 's3.pid'), 'utf8').trim());
    const args = ['stream-land', '--group', group, '--stall-seconds', '4', '--poll-ms', '500', ...topics.land];
    const child = spawn(process.execPath, [cliJs, ...args, '--xcom-path', path.join(dir, 'stall.json')], {
      env: { ...process.env, S3_BUCKET: bucket, LOG_LEVEL: 'warn', S3_RESULT_TIMEOUT_SECONDS: '3' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    // 'close': the exit code once stdout has been read to its end.
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let log = '';
    const said = (what: RegExp) =>
      new Promise<void>((resolve) =>
        child.stdout!.on('data', (d: Buffer) => (log += d) && what.test(log) && resolve()),
      );
    // Paused, the store accepts connections but never answers: no request fails, nothing moves.
    // It stays paused until the lander has exited: its last act, the step result write, is bounded too.
    process.kill(pid, 'SIGSTOP');
    let code: number | null | 'hung';
    try {
      // A lander that exits without its verdict fails the checks below, with the store resumed.
      await Promise.race([said(/no offset committed for 4 s/), exited]);
      const hung = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 60_000).unref());
      code = await Promise.race([exited, hung]);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    if (code === 'hung') child.kill('SIGKILL');
    expect(code).toBe(3); // 'hung': still running 60 s after its verdict with the store paused
    expect(log).toMatch(/the S3 store \(bucket [^)]+\) did not answer the step result write within 3 s/);
    expect(log).toMatch(
      /stream-land no offset committed for 4 s; failing sink: the S3 store; a batch has been waiting on it/,
    );
  }, 120_000);
});
