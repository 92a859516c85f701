// Checks the running local S3 store with the AWS SDK v3 for JavaScript that the task program pins,
// in both checksum modes: the SDK defaults (CRC32 on every upload, aws-chunked trailers, response
// validation) and WHEN_REQUIRED (what tasks/src/clients/s3.ts uses). Uses a throwaway bucket.
// Usage: set -a; . .local/env; set +a; node stack/s3/sdk-check.mjs
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'tasks', 'package.json'));
const s3sdk = require('@aws-sdk/client-s3');
const { Upload } = require('@aws-sdk/lib-storage');
const {
  S3Client, CreateBucketCommand, DeleteBucketCommand, PutObjectCommand, GetObjectCommand,
  HeadObjectCommand, ListObjectsV2Command, DeleteObjectsCommand, CopyObjectCommand,
} = s3sdk;

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (source .local/env)`);
  return v;
};
const sha = (b) => createHash('sha256').update(b).digest('hex');

async function check(label, extra) {
  const client = new S3Client({
    region: env('S3_REGION'),
    endpoint: env('S3_ENDPOINT'),
    forcePathStyle: true,
    credentials: { accessKeyId: env('S3_ACCESS_KEY_ID'), secretAccessKey: env('S3_SECRET_ACCESS_KEY') },
    ...extra,
  });
  const Bucket = `sdkcheck-${label.toLowerCase()}-${randomBytes(3).toString('hex')}`;
  const results = [];
  const step = async (name, fn) => {
    const t0 = performance.now();
    try {
      const note = await fn();
      results.push([name, 'ok', `${(performance.now() - t0).toFixed(0)} ms`, typeof note === 'string' ? note : '']);
    } catch (e) {
      results.push([name, 'FAIL', `${(performance.now() - t0).toFixed(0)} ms`, `${e.name}: ${e.message}`]);
    }
  };
  const keys = [];
  await step('CreateBucket', () => client.send(new CreateBucketCommand({ Bucket })));
  await step('PutObject (Buffer)', async () => {
    const Body = Buffer.from('order_id,qty\nA-1,2\n');
    keys.push('raw/x/ingest_date=2022-04-30/a.csv');
    const r = await client.send(new PutObjectCommand({ Bucket, Key: keys.at(-1), Body, ContentType: 'text/csv', Metadata: { sha256: sha(Body) } }));
    return `ETag ${r.ETag}${r.ChecksumCRC32 ? ` CRC32 ${r.ChecksumCRC32}` : ''}`;
  });
  await step('PutObject (stream of 8-byte chunks)', async () => {
    // A Readable body is streamed; with checksums on, the SDK frames it as aws-chunked with a
    // trailing checksum and (client-side) refuses chunks under 8 KiB unless requestStreamBufferSize.
    const Body = Readable.from([Buffer.from('{"a":1}\n'), Buffer.from('{"a":2}\n')]);
    keys.push('lake/bronze/t/dt=2022-04-30/part-0.ndjson');
    await client.send(new PutObjectCommand({ Bucket, Key: keys.at(-1), Body, ContentLength: 16 }));
  });
  await step('PutObject (stream of 64 KiB chunks)', async () => {
    const chunks = [randomBytes(65536), randomBytes(65536), randomBytes(1000)];
    keys.push('lake/bronze/t/dt=2022-04-30/part-1.ndjson');
    const r = await client.send(new PutObjectCommand({ Bucket, Key: keys.at(-1), Body: Readable.from(chunks), ContentLength: 132072 }));
    const g = await client.send(new GetObjectCommand({ Bucket, Key: keys.at(-1) }));
    if (sha(Buffer.from(await g.Body.transformToByteArray())) !== sha(Buffer.concat(chunks))) throw new Error('body differs');
    return `ETag ${r.ETag}${r.ChecksumCRC32 ? ` CRC32 ${r.ChecksumCRC32}` : ''}`;
  });
  await step('PutObject (SHA256 checksum)', async () => {
    keys.push('reports/sha.json');
    const r = await client.send(new PutObjectCommand({ Bucket, Key: keys.at(-1), Body: '{"ok":true}', ChecksumAlgorithm: 'SHA256' }));
    return `ChecksumSHA256 ${r.ChecksumSHA256}`;
  });
  await step('GetObject + HeadObject', async () => {
    const g = await client.send(new GetObjectCommand({ Bucket, Key: keys[0], ChecksumMode: 'ENABLED' }));
    const got = Buffer.from(await g.Body.transformToByteArray());
    const h = await client.send(new HeadObjectCommand({ Bucket, Key: keys[0] }));
    if (got.toString() !== 'order_id,qty\nA-1,2\n') throw new Error('body differs');
    if (h.Metadata?.sha256 !== sha(got)) throw new Error('user metadata lost');
    return `ContentType ${h.ContentType}, metadata kept`;
  });
  await step('Multipart (lib-storage, 12 MB, 3 parts)', async () => {
    const body = randomBytes(12 * 1024 * 1024 + 7);
    keys.push('raw/big/ingest_date=2022-04-30/big.bin');
    const up = new Upload({ client, params: { Bucket, Key: keys.at(-1), Body: body }, partSize: 5 * 1024 * 1024, queueSize: 2 });
    const r = await up.done();
    const g = await client.send(new GetObjectCommand({ Bucket, Key: keys.at(-1) }));
    const back = Buffer.from(await g.Body.transformToByteArray());
    if (sha(back) !== sha(body)) throw new Error('multipart body differs');
    return `ETag ${r.ETag}`;
  });
  await step('CopyObject', async () => {
    keys.push('raw/x/ingest_date=2022-04-30/copy.csv');
    await client.send(new CopyObjectCommand({ Bucket, Key: keys.at(-1), CopySource: `${Bucket}/${keys[0]}` }));
  });
  await step('ListObjectsV2 prefix+delimiter', async () => {
    const r = await client.send(new ListObjectsV2Command({ Bucket, Prefix: 'raw/', Delimiter: '/' }));
    const cps = (r.CommonPrefixes ?? []).map((p) => p.Prefix).join(' ');
    if (cps !== 'raw/big/ raw/x/') throw new Error(`CommonPrefixes: ${cps}`);
    return cps;
  });
  await step('DeleteObjects (needs a checksum or MD5)', () =>
    client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } })));
  await step('DeleteBucket', () => client.send(new DeleteBucketCommand({ Bucket })));
  client.destroy();
  console.log(`\n== ${label}: ${JSON.stringify(extra)}`);
  for (const r of results) console.log(`  ${r[1].padEnd(4)} ${r[0].padEnd(40)} ${r[2].padStart(7)}  ${r[3]}`);
  return results.every((r) => r[1] === 'ok');
}

const a = await check('defaults', {});
const b = await check('required', { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
process.exit(a && b ? 0 : 1);
