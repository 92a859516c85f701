import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { parquetReadObjects } from 'hyparquet';
import { createKafka } from '../../src/clients/kafka';
import { createS3Client } from '../../src/clients/s3';
import { sampleSourceFile } from '../../src/paths';
import { freshTopics, quietLogger, runStepCli, stackConfig, uniqueSuffix } from './helpers';

const DT = '2022-04-30';

async function keys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    out.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return out.sort();
}

async function bytes(s3: S3Client, bucket: string, key: string): Promise<Uint8Array> {
  return (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray();
}

/** Every row of the Parquet files under a prefix, read with hyparquet (no Spark). */
async function parquetRows(s3: S3Client, bucket: string, prefix: string) {
  const rows: Record<string, unknown>[] = [];
  for (const key of (await keys(s3, bucket, prefix)).filter((k) => k.endsWith('.parquet'))) {
    const data = await bytes(s3, bucket, key);
    rows.push(
      ...(await parquetReadObjects({
        file: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer,
      })),
    );
  }
  return rows.sort((a, b) =>
    `${a.order_id}|${a.sku}|${a.source_row}`.localeCompare(`${b.order_id}|${b.sku}|${b.source_row}`),
  );
}

/** The sample's last day plus two bad rows: an unknown status and a second line for an existing key. */
function sourceWithTraps(dir: string): { file: string; rows: number } {
  const lines = readFileSync(sampleSourceFile, 'utf8').split('\n').filter(Boolean);
  const day = lines.slice(1).filter((l) => l.split(',')[2] === '04-30-22');
  const shipped = day.find((l) => l.split(',')[3] === 'Shipped')!;
  const unknown = day[5]!.replace(
    /^(\d+),([^,]+),04-30-22,[^,]+,/,
    '90001,999-0000000-0000001,04-30-22,Shipped - Teleported,',
  );
  const duplicate = shipped.replace(/^\d+,([^,]+),04-30-22,Shipped,/, '90002,$1,04-30-22,Cancelled,');
  const file = path.join(dir, 'sample_with_traps.csv');
  writeFileSync(file, `${[lines[0], ...day, unknown, duplicate].join('\n')}\n`);
  return { file, rows: day.length + 2 };
}

describe('glue-transform on local Spark (ingest-raw -> stream-produce -> stream-land -> glue-transform)', () => {
  let s3: S3Client;
  let topics: Awaited<ReturnType<typeof freshTopics>>;
  beforeAll(async () => {
    s3 = createS3Client(stackConfig());
    topics = await freshTopics(createKafka(stackConfig(), quietLogger()), 'transform');
  });
  afterAll(async () => {
    s3.destroy();
    await topics.drop();
  });

  it('publishes silver and quarantine that reconcile with bronze, and a re-run leaves identical silver', async () => {
    const dataset = `itest-${uniqueSuffix()}`;
    const bucket = `transform-${uniqueSuffix()}`;
    const env = { S3_BUCKET: bucket };
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const source = sourceWithTraps(mkdtempSync(path.join(tmpdir(), 'transform-')));
    expect(
      (await runStepCli(['ingest-raw', '--dt', DT, '--source', source.file, '--dataset', dataset], env)).code,
    ).toBe(0);
    expect((await runStepCli(['stream-produce', '--dt', DT, '--dataset', dataset, ...topics.produce], env)).code).toBe(
      0,
    );
    expect(
      (await runStepCli(['stream-land', '--group', `itest-transform-${uniqueSuffix()}`, ...topics.land], env)).code,
    ).toBe(0);

    const bronzeLines = (
      await Promise.all(
        (await keys(s3, bucket, `lake/bronze/order_lines/dataset=${dataset}/dt=${DT}/`)).map(async (k) =>
          Buffer.from(await bytes(s3, bucket, k))
            .toString('utf8')
            .split('\n')
            .filter(Boolean),
        ),
      )
    ).flat();
    expect(bronzeLines).toHaveLength(source.rows);

    const first = await runStepCli(['glue-transform', '--dt', DT, '--dataset', dataset], env);
    expect(first.code).toBe(0);
    const c = first.result.counts;
    expect(c).toEqual({
      bronze_rows: source.rows,
      silver_rows: source.rows - 2,
      quarantined_rows: 1,
      duplicate_rows: 1,
      redelivered_rows: 0,
      dates: 1,
    });
    expect(c.bronze_rows).toBe(c.silver_rows + c.quarantined_rows + c.duplicate_rows + c.redelivered_rows);

    const silverPrefix = `lake/silver/order_lines/dataset=${dataset}/dt=${DT}/`;
    const quarantinePrefix = `lake/quarantine/order_lines/dataset=${dataset}/dt=${DT}/`;
    const manifest = JSON.parse(Buffer.from(await bytes(s3, bucket, `${silverPrefix}_manifest.json`)).toString('utf8'));
    expect(await keys(s3, bucket, silverPrefix)).toEqual([...manifest.files, `${silverPrefix}_manifest.json`].sort());
    const silver = await parquetRows(s3, bucket, silverPrefix);
    expect(silver).toHaveLength(c.silver_rows);
    expect(new Set(silver.map((r) => `${r.order_id}|${r.sku}`)).size).toBe(silver.length);
    const quarantine = await parquetRows(s3, bucket, quarantinePrefix);
    // Source rows are CSV line numbers: the unknown status is the line after the day, then the duplicate.
    expect(quarantine.map((q) => [q.kind, q.rule, q.source_row]).sort()).toEqual([
      ['duplicate', 'duplicate_key', BigInt(source.rows + 1)],
      ['rejected', 'status_bucket', BigInt(source.rows)],
    ]);
    expect(quarantine).toHaveLength(2);

    const again = await runStepCli(['glue-transform', '--dt', DT, '--dataset', dataset], env);
    expect(again.code).toBe(0);
    expect(again.result.counts).toEqual(c);
    expect(again.result.details.perDate[DT].row_set_sha256).toBe(manifest.row_set_sha256);
    expect(await parquetRows(s3, bucket, silverPrefix)).toEqual(silver);
    expect(await parquetRows(s3, bucket, quarantinePrefix)).toEqual(quarantine);
    const manifest2 = JSON.parse(
      Buffer.from(await bytes(s3, bucket, `${silverPrefix}_manifest.json`)).toString('utf8'),
    );
    expect(manifest2.run_id).toBe(again.result.runId);
    expect(await keys(s3, bucket, silverPrefix)).toEqual([...manifest2.files, `${silverPrefix}_manifest.json`].sort());
  }, 600_000); // two Spark runs on a shared 2-core machine

  it('exits 1 naming each empty day: one all dead-lettered upstream, one all quarantined', async () => {
    const dataset = `itest-${uniqueSuffix()}`;
    const bucket = `transform-${uniqueSuffix()}`;
    const env = { S3_BUCKET: bucket };
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const row = (i: number, date: string, status: string, qty: string) =>
      `${i},171-0000000-00000${i},${date},${status},Amazon,Amazon.in,Expedited,JNE1,JNE1-S,kurta,S,B09K3WFS32,Shipped,${qty},INR,399.0,PUNE,MAHARASHTRA,411001.0,IN,,False,,`;
    const header = readFileSync(sampleSourceFile, 'utf8').split('\n')[0];
    const lines = [0, 1, 2].flatMap((i) => [
      row(i, '04-28-22', 'Shipped', 'two'), // dead-lettered: Qty is not a number
      row(i + 3, '04-29-22', 'Shipped - Teleported', '1'), // quarantined: unknown status
    ]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'transform-')), 'empty_days.csv');
    writeFileSync(file, `${[header, ...lines].join('\n')}\n`);
    const range = ['--dt', '2022-04-28', '--to', '2022-04-29', '--dataset', dataset];
    expect(
      (await runStepCli(['ingest-raw', '--dt', '2022-04-29', '--source', file, '--dataset', dataset], env)).code,
    ).toBe(0);
    expect(
      (await runStepCli(['stream-produce', ...range, '--max-dead-letter-share=1', ...topics.produce], env)).code,
    ).toBe(0);
    expect(
      (await runStepCli(['stream-land', '--group', `itest-transform-${uniqueSuffix()}`, ...topics.land], env)).code,
    ).toBe(0);

    const { code, result } = await runStepCli(['glue-transform', ...range], env);
    expect(code).toBe(1);
    expect(result.details.thresholds).toEqual({ maxQuarantineShare: 0.05 });
    const message = result.error.message as string;
    expect(message).toMatch(
      /2022-04-28: no bronze: stream-produce dead-lettered all 3 rows dated 2022-04-28 \(bad_number 3\)/,
    );
    expect(message).toMatch(
      /2022-04-29: no silver row: glue-transform quarantined 3 of 3 bronze rows \(status_bucket 3\)/,
    );
    expect(result.counts).toMatchObject({ bronze_rows: 3, silver_rows: 0, quarantined_rows: 3 });
  }, 600_000);
});
