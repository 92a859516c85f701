import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Kafka } from 'kafkajs';
import { createKafka } from '../../src/clients/kafka';
import { createS3Client } from '../../src/clients/s3';
import { repoRoot } from '../../src/paths';
import { SOURCE_COLUMNS } from '../../src/source/columns';
import { freshTopics, quietLogger, readTopic, runStepCli, stackConfig, uniqueSuffix } from './helpers';

const dir = mkdtempSync(path.join(tmpdir(), 'header-map-'));
const cliJs = path.join(repoRoot, 'tasks', 'dist', 'cli.js');
const snake = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');

describe('ingest-raw --header-map (a drifted header adapted explicitly, then produced)', () => {
  let kafka: Kafka;
  let s3: S3Client;
  let topics: Awaited<ReturnType<typeof freshTopics>>;
  const { bucket } = stackConfig().s3;
  let file: string;
  let body: Buffer;
  const map: Record<string, string> = {};
  beforeAll(async () => {
    kafka = createKafka(stackConfig(), quietLogger());
    s3 = createS3Client(stackConfig());
    topics = await freshTopics(kafka, 'headermap');
    // A generated file whose header a spreadsheet round-trip renamed: snake_case, and SalesChannel.
    const original = path.join(dir, 'generated.csv');
    await promisify(execFile)(process.execPath, [
      cliJs,
      'generate',
      '--rows',
      '3000',
      '--seed',
      '5',
      '--out',
      original,
    ]);
    const text = readFileSync(original, 'utf8');
    const renamed = SOURCE_COLUMNS.map((c) => (c === 'Sales Channel ' ? 'SalesChannel' : c === 'index' ? c : snake(c)));
    SOURCE_COLUMNS.forEach((c, i) => {
      if (renamed[i] !== c) map[renamed[i]!] = c;
    });
    body = Buffer.from(renamed.join(',') + text.slice(text.indexOf('\n')));
    file = path.join(dir, 'amazon_sale_report_drifted.csv');
    writeFileSync(file, body);
  }, 60_000);
  afterAll(async () => {
    await topics.drop();
    s3.destroy();
  });
  const writeMap = (name: string, content: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, content);
    return f;
  };
  const ingest = (dataset: string, ...extra: string[]) =>
    runStepCli(['ingest-raw', '--dt', '2022-06-30', '--source', file, '--dataset', dataset, ...extra]);

  it('without a map the drift is refused with exit 1 and hints, as before', async () => {
    const { code, result } = await ingest(`itest-${uniqueSuffix()}`);
    expect(code).toBe(1);
    expect(result.error.message).toContain('"SalesChannel" (did you mean "Sales Channel "?)');
  });

  it('stores the file with the source header, records the map, is idempotent, and stream-produce reads its rows', async () => {
    const dataset = `itest-${uniqueSuffix()}`;
    const mapFile = writeMap('map.json', JSON.stringify(map, null, 2));
    const first = await ingest(dataset, `--header-map=${mapFile}`);
    expect(first.code).toBe(0);
    expect(first.result.details.headerMap).toEqual(map);
    const key = (first.result.outputs[0].uri as string).slice(`s3://${bucket}/`.length);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(JSON.parse(head.Metadata!['header-map']!)).toEqual(map);
    expect(head.Metadata!['source-sha256']).toBe(createHash('sha256').update(body).digest('hex'));
    const stored = Buffer.from(
      await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray(),
    );
    const rest = body.subarray(body.indexOf(0x0a));
    expect(stored.toString('utf8', 0, stored.indexOf(0x0a))).toBe(SOURCE_COLUMNS.join(','));
    expect(stored.subarray(stored.indexOf(0x0a)).equals(rest)).toBe(true);
    expect(head.Metadata!.sha256).toBe(createHash('sha256').update(stored).digest('hex'));

    const again = await ingest(dataset, `--header-map=${mapFile}`);
    expect(again.code).toBe(0);
    expect(again.result.status).toBe('unchanged');

    const day = body
      .toString('utf8')
      .split('\n')
      .slice(1)
      .filter((line) => line.split(',')[2] === '04-30-22');
    expect(day.length).toBeGreaterThan(10);
    const produced = await runStepCli([
      'stream-produce',
      '--dt',
      '2022-04-30',
      '--dataset',
      dataset,
      ...topics.produce,
    ]);
    expect(produced.code).toBe(0);
    expect(produced.result.counts).toEqual({ events: day.length, dead_lettered: 0 });
    const events = await readTopic(kafka, topics.topic, dataset, day.length);
    expect(new Set(events.map((e) => (e.value.line as { order_id: string }).order_id))).toEqual(
      new Set(day.map((line) => line.split(',')[1])),
    );
  }, 120_000);

  it.each([
    [
      'an unknown target',
      { SalesChannel: 'Sales Chanel' },
      /"SalesChannel" maps to unknown column "Sales Chanel" \(did you mean "Sales Channel "\?\)/,
    ],
    [
      'two names for one column',
      { SalesChannel: 'Sales Channel ', sales_channel: 'Sales Channel ' },
      /"SalesChannel" and "sales_channel" all map to "Sales Channel "/,
    ],
    [
      'a name the file does not have',
      { ...{ SalesChannel: 'Sales Channel ' }, Quantity: 'Qty' },
      /the file's header has no column "Quantity"/,
    ],
  ])('refuses a map with %s with exit 2, naming the problem, and writes nothing', async (_, bad, message) => {
    const dataset = `itest-${uniqueSuffix()}`;
    const { code, result } = await ingest(
      dataset,
      `--header-map=${writeMap(`${uniqueSuffix()}.json`, JSON.stringify(bad))}`,
    );
    expect(code).toBe(2);
    expect(result.error.message).toMatch(message);
    expect(result.outputs).toEqual([]);
  });
});
