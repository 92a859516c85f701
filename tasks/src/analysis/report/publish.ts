import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Chart } from './charts';

/** `reports/analysis/dataset=<id>/dt=<dt>/`: one report per dataset and day, replaced by a re-run. */
export function reportPrefix(dataset: string, dt: string): string {
  return `reports/analysis/dataset=${dataset}/dt=${dt}/`;
}

export interface PublishedReport {
  markdownUri: string;
  htmlUri: string;
  bytes: number;
}

/** Writes findings.md, index.html and charts/<name>.svg under the report prefix. */
export async function publishReport(
  s3: S3Client,
  bucket: string,
  prefix: string,
  files: { markdown: string; html: string; charts: Chart[] },
): Promise<PublishedReport> {
  const put = async (key: string, body: string, type: string) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${key}`, Body: body, ContentType: type }));
    return Buffer.byteLength(body);
  };
  let bytes = 0;
  for (const c of files.charts) bytes += await put(`charts/${c.name}.svg`, c.svg, 'image/svg+xml');
  bytes += await put('findings.md', files.markdown, 'text/markdown; charset=utf-8');
  bytes += await put('index.html', files.html, 'text/html; charset=utf-8');
  return { markdownUri: `s3://${bucket}/${prefix}findings.md`, htmlUri: `s3://${bucket}/${prefix}index.html`, bytes };
}
