import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/clients/s3';
import { sampleSourceFile } from '../../src/paths';
import { SOURCE_COLUMNS } from '../../src/source/columns';
import { runStepCli, stackConfig, uniqueSuffix } from './helpers';

const dt = '2022-04-30';
const dir = mkdtempSync(path.join(tmpdir(), 'ingest-'));

const ingest = (source: string, dataset: string) =>
  runStepCli(['ingest-raw', '--dt', dt, '--source', source, '--dataset', dataset]);

describe('ingest-raw', () => {
  let s3: S3Client;
  const bucket = stackConfig().s3.bucket;
  const list = async (dataset: string) =>
    (
      await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `raw/amazon_sale_report/dataset=${dataset}/` }))
    ).Contents?.map((o) => o.Key) ?? [];

  beforeAll(() => {
    s3 = createS3Client(stackConfig());
  });
  afterAll(() => s3.destroy());

  it('stores the real sample once with its checksum; the same content again writes nothing', async () => {
    const dataset = `itest-${uniqueSuffix()}`;
    const first = await ingest(sampleSourceFile, dataset);
    expect(first.code).toBe(0);
    expect(first.result).toMatchObject({ status: 'succeeded', dataset, counts: { rows: 5733 } });
    const key = `raw/amazon_sale_report/dataset=${dataset}/ingest_date=${dt}/amazon_sale_report_sample.csv`;
    expect(first.result.outputs[0]).toMatchObject({ uri: `s3://${bucket}/${key}`, rows: 5733, written: true });

    const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(stored.Metadata).toMatchObject({ sha256: first.result.inputs[0].sha256, rows: '5733', dataset });
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(readFileSync(sampleSourceFile))).toBe(true);

    const second = await ingest(sampleSourceFile, dataset);
    expect(second.code).toBe(0);
    expect(second.result).toMatchObject({
      status: 'unchanged',
      outputs: [{ uri: `s3://${bucket}/${key}`, written: false }],
    });
    expect(await list(dataset)).toEqual([key]);
  });

  it('never overwrites: other content under the same name gets a content-addressed key', async () => {
    const dataset = `itest-${uniqueSuffix()}`;
    const sub = mkdtempSync(path.join(dir, 'v-'));
    const f = path.join(sub, 'orders.csv');
    const row = (i: number) =>
      `${i},405-8078784-573154${i},04-30-22,Shipped,Amazon,Amazon.in,Expedited,SET389,SET389-KR-NP-S,Set,S,B09KXVBD7Z,Shipped,1,INR,647.0,MUMBAI,MAHARASHTRA,400081.0,IN,,False,,`;
    writeFileSync(f, `${SOURCE_COLUMNS.join(',')}\n${row(0)}\n`);
    expect((await ingest(f, dataset)).code).toBe(0);
    writeFileSync(f, `${SOURCE_COLUMNS.join(',')}\n${row(0)}\n${row(1)}\n`);
    const changed = await ingest(f, dataset);
    expect(changed.code).toBe(0);
    expect(changed.result.outputs[0].uri).toMatch(/orders__sha256-[0-9a-f]{12}\.csv$/);
    const keys = await list(dataset);
    expect(keys).toHaveLength(2);
    const original = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: keys.find((k) => k?.endsWith('/orders.csv')) }),
    );
    expect(original.Metadata?.rows).toBe('1');
  });

  it('refuses a renamed or missing column with exit 1, naming the columns, and writes nothing', async () => {
    const dataset = `itest-${uniqueSuffix()}`;
    const f = path.join(dir, 'renamed.csv');
    const header = SOURCE_COLUMNS.filter((c) => c !== 'ASIN').map((c) => (c === 'Qty' ? 'Quantity' : c));
    writeFileSync(f, `${header.join(',')}\n`);
    const { code, result } = await ingest(f, dataset);
    expect(code).toBe(1);
    expect(result.status).toBe('rejected');
    expect(result.error.message).toContain('missing columns: "ASIN", "Qty"; unexpected columns: "Quantity"');
    expect(result.error.details).toMatchObject({ file: f, row: 1 });
    expect(await list(dataset)).toEqual([]);
  });

  it('refuses an empty file with exit 1', async () => {
    const f = path.join(dir, 'empty.csv');
    writeFileSync(f, '');
    const { code, result } = await ingest(f, `itest-${uniqueSuffix()}`);
    expect(code).toBe(1);
    expect(result.error.message).toMatch(/empty\.csv: the file is empty/);
  });
});
