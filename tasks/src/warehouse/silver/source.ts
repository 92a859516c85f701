import path from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AsyncBuffer } from 'hyparquet';
import { z } from 'zod';
import { listObjects } from '../../clients/s3';
import { InputRejectedError, ServiceError } from '../../errors';
import { withRetry } from '../../retry';

/** A silver partition as the warehouse finds it: its manifest and its Parquet parts. */
export interface SilverPartition {
  dataset: string;
  dt: string;
  prefix: string;
  manifest: SilverManifest;
  parts: { key: string; size: number }[];
}

const decimal = z.union([z.number(), z.string()]);
const ManifestSchema = z.looseObject({
  dataset: z.string(),
  dt: z.string(),
  silver_rows: z.number().int().min(0),
  silver_amount_sum: decimal,
  silver_realised_sum: decimal,
  files: z.array(z.unknown()).default([]),
});
export type SilverManifest = z.infer<typeof ManifestSchema>;

/** `lake/silver/order_lines/dataset=<id>/dt=<d>/` (docs/contracts.md). */
export function silverPrefix(dataset: string, dt: string): string {
  return `lake/silver/order_lines/dataset=${dataset}/dt=${dt}/`;
}

/** The file name a manifest entry refers to, whether it lists names, keys, URIs or objects. */
export function manifestFileName(entry: unknown): string | undefined {
  if (typeof entry === 'string') return path.posix.basename(entry);
  if (entry && typeof entry === 'object') {
    const o = entry as Record<string, unknown>;
    const v = o.key ?? o.path ?? o.uri ?? o.name ?? o.file;
    if (typeof v === 'string') return path.posix.basename(v);
  }
  return undefined;
}

/** S3 calls that failed for a reason worth another try (throttling, a dropped connection). */
const s3Retry = { attempts: 4, initialDelayMs: 200, maxDelayMs: 3_000 };
/**
 * One S3 call, retried where worth it. `signal` (the step's stop request) aborts a call in flight
 * and the wait before a retry: a stopped step must not wait on a store that stopped answering.
 */
async function s3Call<T>(what: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  return withRetry(
    async () => {
      try {
        return await fn();
      } catch (error) {
        const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (e.name === 'NoSuchKey') throw error;
        const status = e.$metadata?.httpStatusCode ?? 0;
        throw new ServiceError(`S3 ${what}: ${(error as Error).message}`, {
          cause: error,
          retriable: status === 0 || status >= 500,
        });
      }
    },
    { ...s3Retry, signal },
  );
}

/**
 * Finds a silver partition: lists its parts and reads and checks `_manifest.json`.
 * @throws InputRejectedError when the partition or its manifest is missing or inconsistent.
 */
export async function findSilverPartition(
  s3: S3Client,
  bucket: string,
  dataset: string,
  dt: string,
  signal?: AbortSignal,
): Promise<SilverPartition> {
  const prefix = silverPrefix(dataset, dt);
  const keys = await s3Call('list', () => listObjects(s3, bucket, prefix, signal), signal);
  const where = `s3://${bucket}/${prefix}`;
  if (!keys.some((k) => k.key === `${prefix}_manifest.json`)) {
    throw new InputRejectedError(
      `no silver partition at ${where} (no _manifest.json): run glue-transform for ${dt} first`,
      {
        details: { uri: where },
      },
    );
  }
  const text = await s3Call(
    'get',
    async () =>
      (
        await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}_manifest.json` }), { abortSignal: signal })
      ).Body!.transformToString(),
    signal,
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InputRejectedError(`${where}_manifest.json is not JSON`, { details: { uri: `${where}_manifest.json` } });
  }
  const m = ManifestSchema.safeParse(parsed);
  if (!m.success) {
    const problems = m.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new InputRejectedError(`${where}_manifest.json does not follow the contract: ${problems}`, {
      details: { uri: `${where}_manifest.json` },
    });
  }
  const manifest = m.data;
  if (manifest.dataset !== dataset || manifest.dt !== dt) {
    throw new InputRejectedError(
      `${where}_manifest.json describes dataset ${manifest.dataset} dt ${manifest.dt}, not ${dataset} ${dt}`,
    );
  }
  const parts = keys.filter((k) => /\/part-[^/]*\.parquet$/.test(k.key)).sort((a, b) => a.key.localeCompare(b.key));
  const listed = manifest.files.map(manifestFileName);
  if (listed.length && listed.every((x) => x !== undefined)) {
    const want = new Set(listed as string[]);
    const have = new Set(parts.map((p) => path.posix.basename(p.key)));
    const missing = [...want].filter((x) => !have.has(x));
    const extra = [...have].filter((x) => !want.has(x));
    if (missing.length || extra.length) {
      throw new InputRejectedError(
        `${where}: _manifest.json and the Parquet parts disagree (missing: ${missing.join(', ') || 'none'}; ` +
          `not in the manifest: ${extra.join(', ') || 'none'})`,
        { details: { uri: where, missing, extra } },
      );
    }
  }
  return { dataset, dt, prefix, manifest, parts };
}

/**
 * A Parquet part as the reader sees it: each slice is one ranged GET (the footer, then the column
 * chunks of one row group), so a part is never downloaded whole.
 */
export function silverBuffer(
  s3: S3Client,
  bucket: string,
  key: string,
  size: number,
  signal?: AbortSignal,
): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      if (end <= start) return new ArrayBuffer(0);
      const range = `bytes=${start}-${end - 1}`;
      const bytes = await s3Call(
        'get',
        async () =>
          (
            await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }), { abortSignal: signal })
          ).Body!.transformToByteArray(),
        signal,
      );
      // The SDK joins the response into one new array: its memory is handed on as it is. A view of
      // a larger buffer (a single network chunk) is copied out.
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      return (
        whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
      ) as ArrayBuffer;
    },
  };
}
