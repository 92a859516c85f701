import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import type { Kafka } from 'kafkajs';
import { createKafka } from '../../src/clients/kafka';
import { createS3Client, listObjects } from '../../src/clients/s3';
import { repoRoot } from '../../src/paths';
import { SOURCE_COLUMNS } from '../../src/source/columns';
import { freshTopics, quietLogger, readBronze, runStepCli, stackConfig, uniqueSuffix } from './helpers';

const dir = mkdtempSync(path.join(tmpdir(), 'exactly-once-'));
const cliJs = path.join(repoRoot, 'tasks', 'dist', 'cli.js');
const run = promisify(execFile);
const kafkaSh = (verb: string) => run('bash', [path.join(repoRoot, 'stack', 'kafka.sh'), verb], { cwd: repoRoot });

/** Source rows dated in April 2022 (the replayed range) of a generated file. */
async function generated(rows: number, seed: number) {
  const file = path.join(dir, `amazon_sale_report_synthetic_seed${seed}_${rows}.csv`);
  await run(process.execPath, [cliJs, 'generate', '--rows', String(rows), '--seed', String(seed), '--out', file]);
  const records = parse(readFileSync(file), { from_line: 2 }) as string[][];
  return { file, april: records.map((r, i) => ({ r, row: i + 2 })).filter((x) => x.r[2]!.startsWith('04-')) };
}

/** How many (source row) appear more than once among the bronze lines, and how many are missing. */
function census(bronze: { row: number }[], expected: number[]) {
  const seen = new Map<number, number>();
  for (const b of bronze) seen.set(b.row, (seen.get(b.row) ?? 0) + 1);
  const doubled = [...seen.values()].reduce((n, c) => n + (c - 1), 0);
  return { doubled, missing: expected.filter((r) => !seen.has(r)).length };
}

describe('exactly once from raw file to bronze (producer and broker killed mid-run)', () => {
  let kafka: Kafka;
  let s3: S3Client;
  let topics: Awaited<ReturnType<typeof freshTopics>>;
  beforeAll(async () => {
    kafka = createKafka(stackConfig(), quietLogger());
    s3 = createS3Client(stackConfig());
    topics = await freshTopics(kafka, 'once');
  });
  afterAll(async () => {
    await topics.drop();
    s3.destroy();
  });

  /** Records on the topic (committed, aborted and transaction markers alike). */
  async function onTopic(): Promise<number> {
    const admin = kafka.admin({ readUncommitted: true });
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(topics.topic)).reduce((n, o) => n + Number(o.high), 0);
    } finally {
      await admin.disconnect();
    }
  }

  const stackBucket = stackConfig().s3.bucket;
  /** The produced markers of a dataset, every day. */
  const markersOf = (dataset: string) =>
    listObjects(s3, stackBucket, `runs/stream-produce/produced/dataset=${dataset}/`);

  /** Starts a produce of April and calls `fault` once `due` says so (or never, if the run ends first). */
  async function produceUntil(
    dataset: string,
    due: () => Promise<boolean>,
    fault: (child: ReturnType<typeof spawn>) => Promise<void>,
    commitSeconds = '0.05',
  ) {
    const args = ['stream-produce', '--dt', '2022-04-01', '--to', '2022-04-30', '--dataset', dataset];
    const child = spawn(process.execPath, [cliJs, ...args, '--commit-seconds', commitSeconds, ...topics.produce], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let ended = false;
    void exited.then(() => (ended = true));
    while (!ended && !(await due())) await sleep(20);
    if (!ended) await fault(child);
    return exited;
  }
  const onTopicAbove = (n: number) => async () => (await onTopic()) > n;

  async function landAll(dataset: string) {
    const bucket = `once-${uniqueSuffix()}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const landed = await runStepCli(['stream-land', '--group', `itest-${uniqueSuffix()}`, ...topics.land], {
      S3_BUCKET: bucket,
    });
    expect(landed.code).toBe(0);
    return readBronze(s3, bucket, dataset);
  }

  /** Lands the dataset and checks every April source row is in bronze exactly once. */
  async function expectEachRowOnce(dataset: string, april: { row: number }[]) {
    const bronze = await landAll(dataset);
    expect(
      census(
        bronze,
        april.map((x) => x.row),
      ),
    ).toEqual({ doubled: 0, missing: 0 });
    expect(bronze).toHaveLength(april.length);
  }

  it('SIGKILL of the producer at three points, each followed by a re-run: every row once in bronze', async () => {
    const { file, april } = await generated(40_000, 21);
    const dataset = `itest-${uniqueSuffix()}`;
    expect((await runStepCli(['ingest-raw', '--dt', '2022-04-01', '--source', file, '--dataset', dataset])).code).toBe(
      0,
    );
    const base = await onTopic();
    for (const after of [1_000, 4_000, 8_000]) {
      await produceUntil(dataset, onTopicAbove(base + after), async (child) => {
        child.kill('SIGKILL');
      });
    }
    const argv = ['stream-produce', '--dt', '2022-04-01', '--to', '2022-04-30', '--dataset', dataset];
    const last = await runStepCli([...argv, ...topics.produce]);
    expect(last.code).toBe(0);
    // The kills left work undone for the last run, and the topic holds more than the events
    // (aborted records of the killed runs' open transactions, and transaction markers).
    expect(last.result.counts.events).toBeLessThan(april.length);
    expect(await onTopic()).toBeGreaterThan(base + april.length);

    await expectEachRowOnce(dataset, april);
  }, 300_000);

  it('SIGKILL of the broker mid-produce, then a restart and a re-run: every row once in bronze', async () => {
    const { file, april } = await generated(40_000, 22);
    const dataset = `itest-${uniqueSuffix()}`;
    expect((await runStepCli(['ingest-raw', '--dt', '2022-04-01', '--source', file, '--dataset', dataset])).code).toBe(
      0,
    );
    const base = await onTopic();
    const pidFile = path.join(repoRoot, '.local', 'kafka', 'kafka.pid');
    const code = await produceUntil(dataset, onTopicAbove(base + 3_000), async (child) => {
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        process.kill(pid, 'SIGKILL');
      }
      await sleep(500);
      await kafkaSh('start');
      // The producer rides the outage out or fails; either way the re-run below finishes the range.
      void child;
    });
    expect([0, 3]).toContain(code);
    const argv = ['stream-produce', '--dt', '2022-04-01', '--to', '2022-04-30', '--dataset', dataset];
    expect((await runStepCli([...argv, ...topics.produce])).code).toBe(0);

    await expectEachRowOnce(dataset, april);
  }, 420_000);

  it("SIGKILL of the producer between a commit and its days' markers, then a re-run: markers written, nothing republished", async () => {
    const { file, april } = await generated(40_000, 23);
    const dataset = `itest-${uniqueSuffix()}`;
    expect((await runStepCli(['ingest-raw', '--dt', '2022-04-01', '--source', file, '--dataset', dataset])).code).toBe(
      0,
    );
    const markers = () => markersOf(dataset);
    // One transaction carries all 30 days (their progress offsets committed in it); the markers
    // follow its commit. Killed as soon as the first marker exists.
    await produceUntil(
      dataset,
      async () => (await markers()).length > 0,
      async (child) => {
        child.kill('SIGKILL');
      },
      '120',
    );
    // Whatever the kill left, half of the markers go too: the state of a crash right after the commit.
    for (const [i, m] of (await markers()).entries()) {
      if (i % 2 === 0) await s3.send(new DeleteObjectCommand({ Bucket: stackBucket, Key: m.key }));
    }
    expect((await markers()).length).toBeLessThan(30);

    const argv = ['stream-produce', '--dt', '2022-04-01', '--to', '2022-04-30', '--dataset', dataset];
    const last = await runStepCli([...argv, ...topics.produce]);
    // The step's error beside its exit code: a failure here says why the re-run refused.
    expect({ code: last.code, error: last.result.error }).toEqual({ code: 0, error: null });
    // Every record was committed before the kill: the re-run only writes the missing markers.
    expect(last.result.counts.events).toBe(0);
    const written = await markers();
    expect(written).toHaveLength(30);
    const counted = await Promise.all(
      written.map(async (m) => {
        const body = await s3.send(new GetObjectCommand({ Bucket: stackBucket, Key: m.key }));
        const marker = JSON.parse(await body.Body!.transformToString()) as { events: number; deadLettered: number };
        return marker.events + marker.deadLettered;
      }),
    );
    expect(counted.reduce((a, b) => a + b, 0)).toBe(april.length);

    await expectEachRowOnce(dataset, april);
  }, 300_000);

  // The state a crash leaves right after the last commit, before the first marker: every record
  // committed, no day marked. The re-run publishes nothing, yet each day holds its rows: it must
  // write the markers with the committed counts and succeed, not call the range empty (exit 1).
  it.each([
    ['unpaced', []],
    ['paced (--speed)', ['--speed', '0.2']],
  ])(
    'a crash after the last commit and before any marker (%s): the re-run marks every day from the committed counts',
    async (_, extra) => {
      const { file, april } = await generated(8_000, 24);
      const dataset = `itest-${uniqueSuffix()}`;
      expect(
        (await runStepCli(['ingest-raw', '--dt', '2022-04-01', '--source', file, '--dataset', dataset])).code,
      ).toBe(0);
      const markers = () => markersOf(dataset);
      const argv = ['stream-produce', '--dt', '2022-04-01', '--to', '2022-04-30', '--dataset', dataset, ...extra];
      const first = await runStepCli([...argv, ...topics.produce]);
      expect(first.code).toBe(0);
      const before = first.result.details.perDay as Record<string, { events: number; deadLettered: number }>;
      for (const m of await markers()) await s3.send(new DeleteObjectCommand({ Bucket: stackBucket, Key: m.key }));

      const last = await runStepCli([...argv, ...topics.produce]);
      expect({ code: last.code, error: last.result.error }).toEqual({ code: 0, error: null });
      expect(last.result.counts.events ?? 0).toBe(0);
      // The days' counts are the committed ones, in the result and in the markers.
      expect(last.result.details.perDay).toEqual(before);
      const written = await markers();
      expect(written).toHaveLength(30);
      let total = 0;
      for (const m of written) {
        const body = await s3.send(new GetObjectCommand({ Bucket: stackBucket, Key: m.key }));
        const marker = JSON.parse(await body.Body!.transformToString()) as { day: string; events: number };
        expect(marker.events).toBe(before[marker.day]!.events);
        total += marker.events + before[marker.day]!.deadLettered;
      }
      expect(total).toBe(april.length);

      await expectEachRowOnce(dataset, april);
    },
    120_000,
  );

  // Two raw objects of a dataset; a crash while the day's markers were written left one source
  // marked and the other not. That other source has no row of the day: the re-run must count the
  // day from the marked source's marker and mark the other one, not call the day empty (exit 1).
  it.each([
    ['unpaced', []],
    ['paced (--speed)', ['--speed', '0.2']],
  ])(
    'a crash between the markers of two sources (%s): the re-run counts the marked source and marks the other',
    async (_, extra) => {
      const dataset = `itest-${uniqueSuffix()}`;
      const line = (i: number, date: string) =>
        `${i},171-0000000-00000${String(i).padStart(2, '0')},${date},Shipped,Amazon,Amazon.in,Expedited,JNE1,JNE1-S,` +
        'kurta,S,B09K3WFS32,Shipped,1,INR,399.0,PUNE,MAHARASHTRA,411001.0,IN,,False,,';
      const files = { a: ['04-30-22', '04-30-22', '04-30-22', '04-29-22'], b: ['04-29-22', '04-29-22'] };
      for (const [name, dates] of Object.entries(files)) {
        const f = path.join(dir, `${dataset}-${name}.csv`);
        writeFileSync(f, `${[SOURCE_COLUMNS.join(','), ...dates.map((d, i) => line(i, d))].join('\n')}\n`);
        const ingestDate = name === 'a' ? '2022-04-29' : '2022-04-30';
        const ingested = await runStepCli(['ingest-raw', '--dt', ingestDate, '--source', f, '--dataset', dataset]);
        expect(ingested.code).toBe(0);
      }
      const marked = async () => {
        const list = await markersOf(dataset);
        return Promise.all(
          list.map(async (m) => {
            const body = await s3.send(new GetObjectCommand({ Bucket: stackBucket, Key: m.key }));
            return { key: m.key, ...(JSON.parse(await body.Body!.transformToString()) as { events: number }) };
          }),
        );
      };
      const argv = ['stream-produce', '--dt', '2022-04-30', '--dataset', dataset, ...extra, ...topics.produce];
      const first = await runStepCli(argv);
      expect(first.code).toBe(0);
      expect(first.result.details.perDay).toEqual({ '2022-04-30': { events: 3, deadLettered: 0 } });
      // One marker per source: three events from a, none from b.
      expect((await marked()).map((m) => m.events).sort()).toEqual([0, 3]);
      const zero = (await marked()).find((m) => m.events === 0)!;
      await s3.send(new DeleteObjectCommand({ Bucket: stackBucket, Key: zero.key }));

      const last = await runStepCli(argv);
      expect({ code: last.code, error: last.result.error }).toEqual({ code: 0, error: null });
      expect(last.result.counts.events ?? 0).toBe(0);
      expect(last.result.details.perDay).toEqual(first.result.details.perDay);
      // b's zero marker is back, beside a's.
      const after = await marked();
      expect(after.map((m) => [m.key === zero.key, m.events]).sort()).toEqual([
        [false, 3],
        [true, 0],
      ]);
      // A third run finds the day produced by both sources and publishes nothing.
      const third = await runStepCli(argv);
      expect(third.code).toBe(0);
      expect(third.result.counts).toEqual({ days_already_produced: 1 });
    },
    120_000,
  );

  it('the census counts a doubled row (negative control)', () => {
    expect(census([{ row: 2 }, { row: 3 }, { row: 3 }], [2, 3, 4])).toEqual({ doubled: 1, missing: 1 });
  });
});
