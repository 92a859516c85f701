import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Kafka } from 'kafkajs';
import { createKafka } from '../../src/clients/kafka';
import { createS3Client, listObjects } from '../../src/clients/s3';
import { sampleSourceFile } from '../../src/paths';
import { SOURCE_COLUMNS } from '../../src/source/columns';
import { freshTopics, quietLogger, readTopic, runStepCli, stackConfig, uniqueSuffix } from './helpers';

const dir = mkdtempSync(path.join(tmpdir(), 'produce-'));

describe('stream-produce', () => {
  let kafka: Kafka;
  let topics: Awaited<ReturnType<typeof freshTopics>>;
  beforeAll(async () => {
    kafka = createKafka(stackConfig(), quietLogger());
    topics = await freshTopics(kafka, 'produce');
  });
  afterAll(() => topics.drop());

  it('replays exactly the real sample rows of the date, keyed by order id, amounts intact', async () => {
    const dataset = `itest-${uniqueSuffix()}`;
    expect((await runStepCli(['ingest-raw', '--dt', '2022-04-30', '--dataset', dataset])).code).toBe(0);
    const { code, result } = await runStepCli([
      'stream-produce',
      '--dt',
      '2022-04-30',
      '--dataset',
      dataset,
      ...topics.produce,
    ]);
    expect(code).toBe(0);

    const rows = (parse(readFileSync(sampleSourceFile), { from_line: 2 }) as string[][]).filter(
      (r) => r[2] === '04-30-22',
    );
    expect(result.counts).toEqual({ events: rows.length, dead_lettered: 0 });
    const events = await readTopic(kafka, topics.topic, dataset, rows.length);
    expect(events).toHaveLength(rows.length);
    for (const e of events) expect(e.key).toBe((e.value.line as { order_id: string }).order_id);
    const sum = (xs: (string | null | undefined)[]) =>
      xs.reduce((s, x) => s + (x ? Math.round(Number(x) * 100) : 0), 0);
    expect(sum(events.map((e) => (e.value.line as { amount: string | null }).amount))).toBe(
      sum(rows.map((r) => r[15])),
    );
    type Line = { order_id: string; sku: string };
    const eventKeys = events.map((e) => `${(e.value.line as Line).order_id}|${(e.value.line as Line).sku}`);
    expect(eventKeys.sort()).toEqual(rows.map((r) => `${r[1]}|${r[8]}`).sort());
  });

  it('dead-letters bad rows with their reason; source rows = events + dead letters over a range', async () => {
    const dataset = `itest-${uniqueSuffix()}`;
    const good = (i: number, date: string) =>
      `${i},171-0000000-000000${i},${date},Shipped,Amazon,Amazon.in,Expedited,JNE1,JNE1-S,kurta,S,B09K3WFS32,Shipped,1,INR,399.0,PUNE,MAHARASHTRA,411001.0,IN,,False,,`;
    const lines = [
      SOURCE_COLUMNS.join(','),
      good(0, '04-29-22'),
      good(1, '04-30-22'),
      good(2, '04-30-22').replace(',1,INR,', ',two,INR,'), // non-numeric Qty, dated 04-30
      good(3, '2022-04-30'), // unparseable date: belongs to no day
      good(4, '04-29-22').split(',').slice(0, 10).join(','), // wrong column count
    ];
    const f = path.join(dir, 'mixed.csv');
    writeFileSync(f, `${lines.join('\n')}\n`);
    expect((await runStepCli(['ingest-raw', '--dt', '2022-04-30', '--source', f, '--dataset', dataset])).code).toBe(0);

    const { code, result } = await runStepCli([
      'stream-produce',
      '--dt',
      '2022-04-29',
      '--to',
      '2022-04-30',
      '--dataset',
      dataset,
      '--max-dead-letter-share=1',
      ...topics.produce,
    ]);
    expect(code).toBe(0);
    expect(result.details.thresholds).toEqual({ maxDeadLetterShare: 1 });
    expect(result.counts).toEqual({ events: 2, dead_lettered: 3 });
    expect(result.details.perDay).toEqual({
      '2022-04-29': { events: 1, deadLettered: 1 },
      '2022-04-30': { events: 1, deadLettered: 2 },
    });
    const dead = await readTopic(kafka, topics.dlqTopic, dataset, 3);
    expect(dead.map((d) => [d.value.reason, d.value.column]).sort()).toEqual([
      ['bad_date', 'Date'],
      ['bad_number', 'Qty'],
      ['column_count', null],
    ]);
    for (const d of dead) expect(typeof d.value.raw_line).toBe('string');

    // The same day again publishes nothing: it was produced from this content already.
    const again = await runStepCli([
      'stream-produce',
      '--dt',
      '2022-04-29',
      '--dataset',
      dataset,
      '--max-dead-letter-share=0.5',
      ...topics.produce,
    ]);
    expect(again.code).toBe(0);
    expect(again.result.counts).toEqual({ days_already_produced: 1 });
    // --force replays it, and a dead row it does not own (undated) stays out.
    const forced = await runStepCli([
      'stream-produce',
      '--dt',
      '2022-04-29',
      '--dataset',
      dataset,
      '--force',
      '--max-dead-letter-share=0.5',
      ...topics.produce,
    ]);
    expect(forced.result.counts).toEqual({ events: 1, dead_lettered: 1 });
  });

  it('exits 1 when a day is all dead letters, naming counts and reasons, and again on a re-run', async () => {
    const dataset = `itest-${uniqueSuffix()}`;
    const bad = (i: number) =>
      `${i},171-0000000-000001${i},04-28-22,Shipped,Amazon,Amazon.in,Expedited,JNE1,JNE1-S,kurta,S,B09K3WFS32,Shipped,x,INR,? 1,099,PUNE,MAHARASHTRA,411001.0,IN,,False,,`;
    const f = path.join(dir, 'all-dead.csv');
    writeFileSync(f, `${[SOURCE_COLUMNS.join(','), bad(0), bad(1), bad(2)].join('\n')}\n`);
    expect((await runStepCli(['ingest-raw', '--dt', '2022-04-28', '--source', f, '--dataset', dataset])).code).toBe(0);
    const argv = ['stream-produce', '--dt', '2022-04-28', '--dataset', dataset, ...topics.produce];
    const first = await runStepCli(argv);
    expect(first.code).toBe(1);
    expect(first.result.status).toBe('rejected');
    expect(first.result.error.message).toMatch(/2022-04-28: 3 of 3 rows dead-lettered \(100\.0%\), top reasons/);
    expect(first.result.details.thresholds).toEqual({ maxDeadLetterShare: 0.05 });
    expect(first.result.counts).toEqual({ events: 0, dead_lettered: 3 });
    // The re-run publishes nothing more (the day is marked) and reaches the same verdict.
    const again = await runStepCli(argv);
    expect(again.code).toBe(1);
    expect(again.result.counts).toEqual({ days_already_produced: 1 });
    expect(again.result.error.message).toMatch(/3 of 3 rows dead-lettered/);
  });

  it('exits 1 when no row is dated in the range, and marks no day produced', async () => {
    const dataset = `itest-${uniqueSuffix()}`;
    const config = stackConfig();
    expect((await runStepCli(['ingest-raw', '--dt', '2022-04-30', '--dataset', dataset])).code).toBe(0);
    const { code, result } = await runStepCli([
      'stream-produce',
      '--dt',
      '2022-01-01',
      '--to',
      '2022-01-02',
      '--dataset',
      dataset,
      ...topics.produce,
    ]);
    expect(code).toBe(1);
    expect(result.error.message).toMatch(
      /no source row is dated 2022-01-01\.\.2022-01-02: \d+ row\(s\) read, their dates run 2022-/,
    );
    expect(result.details.emptyDays).toEqual(['2022-01-01', '2022-01-02']);
    const s3 = createS3Client(config);
    try {
      const markers = await listObjects(s3, config.s3.bucket, `runs/stream-produce/produced/dataset=${dataset}/`);
      expect(markers).toEqual([]);
    } finally {
      s3.destroy();
    }
  });

  it('refuses a replay whose raw objects do not exist, with exit 1', async () => {
    const { code, result } = await runStepCli([
      'stream-produce',
      '--dt',
      '2022-04-30',
      '--dataset',
      `itest-none-${uniqueSuffix()}`,
      ...topics.produce,
    ]);
    expect(code).toBe(1);
    expect(result.error.message).toMatch(/run ingest-raw for this dataset first/);
  });
});
