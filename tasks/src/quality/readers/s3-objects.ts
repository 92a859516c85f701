import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AsyncBuffer } from 'hyparquet';
import { listObjects } from '../../clients/s3';
import { InputRejectedError, ServiceError } from '../../errors';
import { withRetry, defaultRetry } from '../../retry';
import { manifestFileName } from '../../warehouse/silver/source';

/** `s3://bucket/prefix` split into its parts. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new InputRejectedError(`not an s3:// URI: ${uri}`);
  return { bucket: m[1]!, key: m[2]! };
}

export type DataFormat = 'ndjson' | 'csv' | 'parquet';

/** The format a key's extension names, or null for files that are not data (`_manifest.json`, markers). */
export function formatOf(key: string): DataFormat | null {
  const name = key.slice(key.lastIndexOf('/') + 1);
  if (name.startsWith('_') || name.startsWith('.')) return null;
  if (/\.(ndjson|jsonl)(\.gz)?$/.test(name)) return 'ndjson';
  if (/\.csv$/.test(name)) return 'csv';
  if (/\.parquet$/.test(name)) return 'parquet';
  return null;
}

const retriable = (e: unknown) => {
  const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === undefined || status >= 500;
};

async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await withRetry(fn, { ...defaultRetry, isRetriable: retriable });
  } catch (error) {
    throw new ServiceError(`${what}: ${(error as Error).message}`, { cause: error, retriable: true });
  }
}

/**
 * The data objects under a prefix (or the one object a URI names), sorted by key, each with its
 * size and format. Objects whose names start with `_` (manifests) are skipped. A partition with a
 * `_manifest.json` is read as its manifest says: only the files it lists (a transform that died
 * between publishing a file and writing the manifest leaves files no reader may count).
 */
export async function listDataObjects(
  s3: S3Client,
  uri: string,
): Promise<{ bucket: string; key: string; size: number; format: DataFormat }[]> {
  const { bucket, key } = parseS3Uri(uri);
  const single = formatOf(key);
  if (single && !key.endsWith('/')) {
    const head = await call(`cannot read ${uri}`, () => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
    return [{ bucket, key, size: head.ContentLength ?? 0, format: single }];
  }
  const out: { bucket: string; key: string; size: number; format: DataFormat }[] = [];
  const objects = await call(`cannot list ${uri}`, () => listObjects(s3, bucket, key));
  const listed = objects.some((o) => o.key === `${key}_manifest.json`)
    ? await manifestFiles(s3, bucket, `${key}_manifest.json`)
    : undefined;
  for (const o of objects) {
    const format = formatOf(o.key);
    if (format && (!listed || listed.has(path.posix.basename(o.key))))
      out.push({ bucket, key: o.key, size: o.size, format });
  }
  return out;
}

/** The file names a partition's `_manifest.json` lists. */
export async function manifestFiles(s3: S3Client, bucket: string, key: string): Promise<Set<string>> {
  const body = await objectStream(s3, bucket, key);
  const chunks: Uint8Array[] = [];
  for await (const c of body) chunks.push(c);
  let files: unknown;
  try {
    files = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { files?: unknown }).files;
  } catch {
    throw new InputRejectedError(`s3://${bucket}/${key} is not JSON`, { details: { uri: `s3://${bucket}/${key}` } });
  }
  if (!Array.isArray(files)) {
    throw new InputRejectedError(`s3://${bucket}/${key} has no "files" list`, {
      details: { uri: `s3://${bucket}/${key}` },
    });
  }
  return new Set(files.map(manifestFileName).filter((n): n is string => n !== undefined));
}

/** The object's body as a byte stream. */
export async function objectStream(s3: S3Client, bucket: string, key: string): Promise<AsyncIterable<Uint8Array>> {
  const got = await call(`cannot read s3://${bucket}/${key}`, () =>
    s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })),
  );
  return got.Body as AsyncIterable<Uint8Array>;
}

/**
 * A random-access view of an object for the Parquet reader: the footer and each column chunk are
 * fetched with ranged GETs, so only the row group being read is in memory.
 */
export function s3AsyncBuffer(s3: S3Client, bucket: string, key: string, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const last = (end ?? size) - 1;
      const got = await call(`cannot read s3://${bucket}/${key} bytes ${start}-${last}`, () =>
        s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${last}` })),
      );
      const bytes = await got.Body!.transformToByteArray();
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}
