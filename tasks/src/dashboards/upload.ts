import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DeleteObjectsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { listObjects } from '../clients/s3';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv',
};

/** Every file under `dir`, as paths relative to it with forward slashes, sorted. */
export function siteFiles(dir: string, sub = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(dir, sub)).sort()) {
    const rel = sub ? `${sub}/${name}` : name;
    if (statSync(path.join(dir, rel)).isDirectory()) out.push(...siteFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}

/**
 * Mirrors the built site to `prefix`: puts every file, then deletes the keys of an older build
 * that this one no longer has (hashed asset names change), so a re-run leaves exactly one site.
 */
export async function uploadSite(s3: S3Client, bucket: string, dir: string, prefix: string) {
  const files = siteFiles(dir);
  let bytes = 0;
  for (const rel of files) {
    const body = readFileSync(path.join(dir, rel));
    bytes += body.length;
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: prefix + rel,
        Body: body,
        ContentType: contentTypes[path.extname(rel)] ?? 'application/octet-stream',
      }),
    );
  }
  const keep = new Set(files.map((f) => prefix + f));
  const stale = (await listObjects(s3, bucket, prefix)).map((o) => o.key).filter((k) => !keep.has(k));
  for (let i = 0; i < stale.length; i += 1000) {
    const chunk = stale.slice(i, i + 1000).map((Key) => ({ Key }));
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: chunk, Quiet: true } }));
  }
  return { files: files.length, bytes, deleted: stale.length };
}
