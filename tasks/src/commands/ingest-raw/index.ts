import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { HeadObjectCommand, NotFound, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createS3Client } from '../../clients/s3';
import { InputRejectedError, ServiceError } from '../../errors';
import { runStep, type StepContext } from '../../runtime';
import { checkHeader, describeHeaderProblems, headerDetails } from '../../source/columns';
import { adaptHeader } from '../../source/adapt-header';
import { DATASET_ID, datasetIdFor } from '../../source/dataset';
import { applyHeaderMap, headerMapMetadata, loadHeaderMap, type HeaderMap } from '../../source/header-map';
import { scanCsvFile, type FileScan } from '../../source/scan';
import type { IngestRawArgs } from './command';

const PART_SIZE = 8 * 1024 * 1024;

/** `raw/amazon_sale_report/dataset=<id>/ingest_date=<dt>/` */
export function rawPrefix(dataset: string, dt: string): string {
  return `raw/amazon_sale_report/dataset=${dataset}/ingest_date=${dt}/`;
}

/** The key for other content under a taken name: `<stem>__sha256-<12 hex><ext>`. */
export function contentAddressedName(name: string, sha256: string): string {
  const ext = path.extname(name);
  return `${path.basename(name, ext)}__sha256-${sha256.slice(0, 12)}${ext}`;
}

async function storedSha256(s3: S3Client, bucket: string, key: string): Promise<string | null | undefined> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.Metadata?.sha256 ?? null; // null: an object without our checksum
  } catch (error) {
    if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return undefined;
    throw new ServiceError(`cannot read s3://${bucket}/${key}: ${(error as Error).message}`, {
      cause: error,
      retriable: true,
    });
  }
}

/** Picks the key to write, or reports that identical content is already stored. */
async function chooseKey(s3: S3Client, bucket: string, prefix: string, name: string, sha256: string) {
  for (const candidate of [name, contentAddressedName(name, sha256)]) {
    const key = prefix + candidate;
    const stored = await storedSha256(s3, bucket, key);
    if (stored === undefined) return { key, exists: false };
    if (stored === sha256) return { key, exists: true };
  }
  throw new InputRejectedError(`both ${prefix}${name} and its content-addressed name hold other content`);
}

/** What ingest-raw stores: the file's bytes, or the file with its mapped header replaced. */
interface Stored {
  sha256: string;
  bytes: number;
  body: () => Readable;
}

async function validate(
  file: string,
  dataset: string | undefined,
  map: { file: string; aliases: HeaderMap } | undefined,
): Promise<{ scan: FileScan; dataset: string }> {
  try {
    await access(file);
  } catch {
    throw new InputRejectedError(`source file not found or unreadable: ${file}`, { details: { file } });
  }
  const id = dataset ?? datasetIdFor(file);
  if (!id) throw new InputRejectedError(`cannot tell which dataset ${file} belongs to: pass --dataset <id>`);
  if (!DATASET_ID.test(id)) throw new InputRejectedError(`dataset id "${id}" must match ${DATASET_ID}`);
  const scan = await scanCsvFile(file);
  if (scan.bytes === 0 || scan.header.length === 0) {
    throw new InputRejectedError(`${file}: the file is empty`, { details: { file } });
  }
  const header = checkHeader(map ? applyHeaderMap(scan.header, map.aliases, map.file) : scan.header);
  if (!header.ok) {
    const mapped = map ? ` after --header-map ${map.file}` : '';
    throw new InputRejectedError(
      `${file}: header is not the Amazon Sale Report schema${mapped}: ${describeHeaderProblems(header)}`,
      {
        details: { file, row: 1, ...headerDetails(header) },
      },
    );
  }
  return { scan, dataset: id };
}

async function upload(
  ctx: StepContext,
  s3: S3Client,
  key: string,
  file: string,
  stored: Stored,
  metadata: Record<string, string>,
) {
  const { bucket } = ctx.config.s3;
  const upload = new Upload({
    client: s3,
    params: {
      Bucket: bucket,
      Key: key,
      Body: stored.body(),
      ContentType: 'text/csv',
      Metadata: { sha256: stored.sha256, ...metadata, 'source-name': path.basename(file) },
    },
    partSize: PART_SIZE,
    queueSize: 2,
    leavePartsOnError: false,
  });
  let lastLog = 0;
  upload.on('httpUploadProgress', (p) => {
    if (Date.now() - lastLog < 2_000) return;
    lastLog = Date.now();
    ctx.logger.info({ key, loaded: p.loaded, total: stored.bytes }, 'uploading');
  });
  const onAbort = () => void upload.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await upload.done();
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
  ctx.throwIfStopped();
  const check = await storedSha256(s3, bucket, key);
  if (check !== stored.sha256) throw new ServiceError(`s3://${bucket}/${key} was not stored intact`);
}

/** ingest-raw: validates a source file and stores it, once, as an immutable raw object. */
export async function run(args: IngestRawArgs) {
  return runStep(
    'ingest-raw',
    args,
    async (ctx) => {
      const file = path.resolve(args.source);
      ctx.result.input({ uri: `file://${file}` });
      const map = args.headerMap
        ? { file: args.headerMap, aliases: loadHeaderMap(path.resolve(args.headerMap)) }
        : undefined;
      const { scan, dataset } = await validate(file, args.dataset, map);
      ctx.result.result.dataset = dataset;
      ctx.result.result.inputs[0] = { uri: `file://${file}`, rows: scan.rows, bytes: scan.bytes, sha256: scan.sha256 };
      ctx.logger.info({ file, rows: scan.rows, bytes: scan.bytes, dataset }, 'source validated');
      // A mapped file is stored with the source header, so every reader downstream reads it as is.
      const stored: Stored = map
        ? await adaptHeader(file, scan.header)
        : { sha256: scan.sha256, bytes: scan.bytes, body: () => createReadStream(file, { highWaterMark: 1 << 20 }) };
      const metadata: Record<string, string> = { rows: String(scan.rows), dataset };
      if (map) {
        metadata['header-map'] = headerMapMetadata(map.aliases);
        metadata['source-sha256'] = scan.sha256;
        ctx.result.result.details.headerMap = map.aliases;
        ctx.logger.info({ headerMap: map.aliases }, 'header adapted by --header-map');
      }

      const s3 = createS3Client(ctx.config);
      try {
        const { bucket } = ctx.config.s3;
        const { key, exists } = await chooseKey(
          s3,
          bucket,
          rawPrefix(dataset, args.dt!),
          path.basename(file),
          stored.sha256,
        );
        if (exists) {
          ctx.logger.info({ key }, 'identical content already stored: nothing written');
          ctx.result.set('unchanged');
        } else {
          await upload(ctx, s3, key, file, stored, metadata);
          ctx.logger.info({ key, bytes: stored.bytes }, 'raw object written');
        }
        ctx.result.output({
          uri: `s3://${bucket}/${key}`,
          rows: scan.rows,
          bytes: stored.bytes,
          sha256: stored.sha256,
          written: !exists,
        });
        ctx.result.count('rows', scan.rows);
        return { key, written: !exists, scan, dataset };
      } finally {
        s3.destroy();
      }
    },
    { writeResult: true },
  );
}
