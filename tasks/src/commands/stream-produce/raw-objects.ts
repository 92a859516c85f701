import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { listObjects } from '../../clients/s3';
import { InputRejectedError } from '../../errors';

/** The ingest date encoded in a raw key (`.../ingest_date=YYYY-MM-DD/...`), if any. */
export function ingestDateOf(key: string): string | undefined {
  return /\/ingest_date=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
}

export { producedMarkerKey } from '../../events/produced';

/** `s3://bucket/key` to its parts. @throws InputRejectedError for anything else. */
export function splitUri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new InputRejectedError(`--source must look like s3://bucket/key, got "${uri}"`);
  return { bucket: m[1]!, key: m[2]! };
}

/**
 * The distinct raw objects of a dataset (the same content ingested on several dates counts once).
 * @throws InputRejectedError when the dataset has none.
 */
export async function rawObjects(s3: S3Client, bucket: string, dataset: string): Promise<string[]> {
  const prefix = `raw/amazon_sale_report/dataset=${dataset}/`;
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const { key } of await listObjects(s3, bucket, prefix)) {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const sha = head.Metadata?.sha256 ?? key;
    if (!seen.has(sha)) {
      seen.add(sha);
      unique.push(`s3://${bucket}/${key}`);
    }
  }
  if (!unique.length) {
    throw new InputRejectedError(
      `no raw objects under s3://${bucket}/${prefix}: run ingest-raw for this dataset first`,
    );
  }
  return unique;
}

/** The content id of a raw object: its sha256 from ingest-raw's metadata, else its ETag. */
export async function contentId(s3: S3Client, uri: string): Promise<string> {
  const { bucket, key } = splitUri(uri);
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  return head.Metadata?.sha256 ?? (head.ETag ?? key).replace(/[^A-Za-z0-9]/g, '');
}

/** True when the key exists. */
export async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound') return false;
    throw error;
  }
}
