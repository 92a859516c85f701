import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import type { Kafka } from 'kafkajs';
import { createKafka } from '../../src/clients/kafka';
import { createS3Client } from '../../src/clients/s3';
import { csvRecord } from '../../src/commands/generate/format';
import { repoRoot } from '../../src/paths';
import { SOURCE_COLUMNS } from '../../src/source/columns';
import { freshTopics, quietLogger, readBronze, readTopic, runStepCli, stackConfig, uniqueSuffix } from './helpers';

const dir = mkdtempSync(path.join(tmpdir(), 'reconcile-'));
const cliJs = path.join(repoRoot, 'tasks', 'dist', 'cli.js');
const run = promisify(execFile);
const at = (name: (typeof SOURCE_COLUMNS)[number]) => SOURCE_COLUMNS.indexOf(name);

/** A generated file (by the built CLI), and its records of one day as csv-parse reads them. */
async function generated(rows: number, seed: number, day: string) {
  const file = path.join(dir, `amazon_sale_report_synthetic_seed${seed}_${rows}.csv`);
  await run(process.execPath, [cliJs, 'generate', '--rows', String(rows), '--seed', String(seed), '--out', file]);
  const records = parse(readFileSync(file), { from_line: 2 }) as string[][];
  return { file, records, rowsOf: (d = day) => records.map((r, i) => ({ r, row: i + 2 })).filter((x) => x.r[2] === d) };
}

describe('ingest reconciliation (generated data, real Kafka and S3)', () => {
  let kafka: Kafka;
  let s3: S3Client;
  let topics: Awaited<ReturnType<typeof freshTopics>>;
  beforeAll(async () => {
    kafka = createKafka(stackConfig(), quietLogger());
    s3 = createS3Client(stackConfig());
    topics = await freshTopics(kafka, 'reconcile');
  });
  afterAll(async () => {
    await topics.drop();
    s3.destroy();
  });
  const land = async (dataset: string) => {
    const bucket = `land-${uniqueSuffix()}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const landed = await runStepCli(['stream-land', '--group', `itest-${uniqueSuffix()}`, ...topics.land], {
      S3_BUCKET: bucket,
    });
    expect(landed.code).toBe(0);
    return readBronze(s3, bucket, dataset);
  };

  it('a generated day with a 1 MB field, invalid UTF-8 and a bad Qty: source rows = landed + dead-lettered, row for row', async () => {
    const { records } = await generated(20_000, 9, '05-15-22');
    const dataset = `itest-${uniqueSuffix()}`;
    // Corrupt three rows of the day at the byte level, then write the file back in the source format.
    const lines = readFileSync(path.join(dir, 'amazon_sale_report_synthetic_seed9_20000.csv'), 'utf8').split('\n');
    expect(lines).toHaveLength(records.length + 2); // one line per record: the header, the rows, a final LF
    // Line i holds source row i + 1 (row 1 is the header).
    const dayRows = records
      .map((r, i) => (r[2] === '05-15-22' && r[at('ship-city')] ? i + 1 : -1))
      .filter((i) => i > 0);
    const [big, utf8, qty] = dayRows;
    const fields = (i: number) => parse(lines[i]!)[0] as string[];
    const bigFields = fields(big!);
    bigFields[at('promotion-ids')] = 'x'.repeat(1024 * 1024);
    lines[big!] = csvRecord(bigFields).trimEnd();
    lines[qty!] = lines[qty!]!.replace(/,(\d+),(INR)?,/, ',one,$2,');
    const body = Buffer.from(lines.join('\n'));
    const city = fields(utf8!)[at('ship-city')]!;
    const cut = body.indexOf(`,${city},`, body.indexOf(lines[utf8!]!.slice(0, 30)));
    body[cut + 1] = 0xff; // no longer UTF-8
    const file = path.join(dir, 'corrupted.csv');
    writeFileSync(file, body);

    expect((await runStepCli(['ingest-raw', '--dt', '2022-06-30', '--source', file, '--dataset', dataset])).code).toBe(
      0,
    );
    const produced = await runStepCli([
      'stream-produce',
      '--dt',
      '2022-05-15',
      '--dataset',
      dataset,
      ...topics.produce,
    ]);
    expect(produced.code).toBe(0);
    const source = records.map((r, i) => ({ r, row: i + 2 })).filter((x) => x.r[2] === '05-15-22');
    expect(produced.result.counts).toEqual({ events: source.length - 3, dead_lettered: 3 });

    const dead = await readTopic(kafka, topics.dlqTopic, dataset, 3);
    expect(dead.map((d) => [d.value.reason, (d.value.source as { row: number }).row]).sort()).toEqual(
      [
        ['bad_number', qty! + 1],
        ['field_too_large', big! + 1],
        ['invalid_utf8', utf8! + 1],
      ].sort(),
    );
    const bronze = await land(dataset);
    const deadRows = new Set(dead.map((d) => (d.value.source as { row: number }).row));
    expect(bronze.length + dead.length).toBe(source.length);
    expect(bronze.map((b) => [b.row, b.order_id, b.sku, b.amount])).toEqual(
      source.filter((x) => !deadRows.has(x.row)).map((x) => [x.row, x.r[1], x.r[8], x.r[15] || null]),
    );
  }, 180_000);

  it('restarting the broker in the middle of a produce loses nothing and doubles nothing', async () => {
    const { file, rowsOf } = await generated(150_000, 4, '04-30-22');
    const dataset = `itest-${uniqueSuffix()}`;
    expect((await runStepCli(['ingest-raw', '--dt', '2022-06-30', '--source', file, '--dataset', dataset])).code).toBe(
      0,
    );
    // A paced replay (the day over 30 s) so the restart lands in the middle of it.
    const xcom = path.join(dir, 'produce.json');
    const args = ['stream-produce', '--dt', '2022-04-30', '--dataset', dataset, '--speed', '30', ...topics.produce];
    const child = spawn(process.execPath, [cliJs, ...args, '--xcom-path', xcom], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The step's logs and stderr, shown if it fails (the tail: a broker outage logs a lot).
    let output = '';
    const keep = (piece: Buffer) => (output = (output + piece.toString()).slice(-20_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const kafkaSh = (verb: string) => run('bash', [path.join(repoRoot, 'stack', 'kafka.sh'), verb], { cwd: repoRoot });
    const admin = kafka.admin();
    await admin.connect();
    for (let i = 0; i < 200; i++) {
      const offsets = await admin.fetchTopicOffsets(topics.topic);
      if (offsets.reduce((n, o) => n + Number(o.high), 0) > 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await admin.disconnect();
    try {
      await kafkaSh('stop');
    } finally {
      await kafkaSh('start');
    }
    const code = await exited;
    if (code !== 0) {
      const result = existsSync(xcom) ? readFileSync(xcom, 'utf8') : '(no result file)';
      throw new Error(`stream-produce exited ${code}\nresult: ${result}\noutput (tail):\n${output}`);
    }
    const result = JSON.parse(readFileSync(xcom, 'utf8'));
    const source = rowsOf();
    expect(result.counts).toEqual({ events: source.length, dead_lettered: 0 });

    const bronze = await land(dataset);
    expect(bronze.map((b) => [b.row, b.order_id, b.sku, b.amount])).toEqual(
      source.map((x) => [x.row, x.r[1], x.r[8], x.r[15] || null]),
    );
  }, 300_000);

  it('an empty raw object is refused with exit 1; a header-only file produces nothing and says so (exit 1)', async () => {
    const bucket = stackConfig().s3.bucket;
    const key = `raw/amazon_sale_report/dataset=itest-empty/ingest_date=2022-04-30/empty-${uniqueSuffix()}.csv`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.alloc(0), ContentLength: 0 }));
    const empty = await runStepCli([
      'stream-produce',
      '--dt',
      '2022-04-30',
      '--dataset',
      `itest-empty-${uniqueSuffix()}`,
      '--source',
      `s3://${bucket}/${key}`,
      ...topics.produce,
    ]);
    expect(empty.code).toBe(1);
    expect(empty.result.error.message).toMatch(/the object is empty \(no header\)/);

    const dataset = `itest-${uniqueSuffix()}`;
    const headerOnly = path.join(dir, 'header-only.csv');
    writeFileSync(headerOnly, `${SOURCE_COLUMNS.join(',')}\n`);
    const ingested = await runStepCli([
      'ingest-raw',
      '--dt',
      '2022-04-30',
      '--source',
      headerOnly,
      '--dataset',
      dataset,
    ]);
    expect(ingested.result.counts).toEqual({ rows: 0 });
    const produced = await runStepCli([
      'stream-produce',
      '--dt',
      '2022-04-30',
      '--dataset',
      dataset,
      ...topics.produce,
    ]);
    expect([produced.code, produced.result.counts]).toEqual([1, { events: 0, dead_lettered: 0 }]);
    expect(produced.result.error.message).toMatch(
      /no source row is dated 2022-04-30: 0 row\(s\) read, none has a readable date/,
    );
    expect(await land(dataset)).toEqual([]);
  }, 120_000);
});
