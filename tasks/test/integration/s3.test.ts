import { createHash, randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createS3Client } from '../../src/clients/s3';
import { stackConfig, uniqueSuffix } from './helpers';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('S3 store (versitygw on disk)', () => {
  let s3: S3Client;
  const bucket = `itest-${uniqueSuffix()}`;
  const keys: string[] = [];

  beforeAll(async () => {
    s3 = createS3Client(stackConfig());
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  afterAll(async () => {
    if (keys.length) {
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    }
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    s3.destroy();
  });

  it('stores a >10 MB object by multipart upload and returns it byte-identical', async () => {
    const body = randomBytes(12 * 1024 * 1024 + 123);
    const key = 'raw/amazon_sale_report/ingest_date=2022-04-30/big.bin';
    keys.push(key);
    const parts: number[] = [];
    const upload = new Upload({
      client: s3,
      params: { Bucket: bucket, Key: key, Body: body, Metadata: { sha256: sha256(body) } },
      partSize: 5 * 1024 * 1024,
      queueSize: 2,
    });
    upload.on('httpUploadProgress', (p) => p.part !== undefined && parts.push(p.part));
    await upload.done();
    expect(new Set(parts).size).toBe(3); // 5 + 5 + 2 MB: really multipart

    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentLength).toBe(body.length);
    expect(head.Metadata?.sha256).toBe(sha256(body));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = await got.Body!.transformToByteArray();
    expect(sha256(bytes)).toBe(sha256(body));
  });

  it('lists nested keys with a prefix and a delimiter (ListObjectsV2)', async () => {
    const nested = [
      'lake/bronze/order_lines/dt=2022-04-29/part-0.ndjson',
      'lake/bronze/order_lines/dt=2022-04-30/part-0.ndjson',
      'lake/bronze/order_lines/dt=2022-04-30/part-1.ndjson',
      'lake/silver/order_lines/dt=2022-04-30/part-0.parquet',
    ];
    for (const Key of nested) {
      keys.push(Key);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));
    }
    const dirs = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'lake/bronze/order_lines/', Delimiter: '/' }),
    );
    expect(dirs.CommonPrefixes?.map((p) => p.Prefix)).toEqual([
      'lake/bronze/order_lines/dt=2022-04-29/',
      'lake/bronze/order_lines/dt=2022-04-30/',
    ]);
    expect(dirs.Contents ?? []).toHaveLength(0);

    const files = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'lake/bronze/order_lines/dt=2022-04-30/', MaxKeys: 1 }),
    );
    expect(files.Contents?.map((o) => o.Key)).toEqual(['lake/bronze/order_lines/dt=2022-04-30/part-0.ndjson']);
    expect(files.IsTruncated).toBe(true);
    const next = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: 'lake/bronze/order_lines/dt=2022-04-30/',
        ContinuationToken: files.NextContinuationToken,
      }),
    );
    expect(next.Contents?.map((o) => o.Key)).toEqual(['lake/bronze/order_lines/dt=2022-04-30/part-1.ndjson']);
  });
});
