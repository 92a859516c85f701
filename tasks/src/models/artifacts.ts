import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** One model's artifacts: written under its run prefix, then the `latest` pointer is moved. */
export interface ModelArtifacts {
  name: string;
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
  featureSchema: Record<string, unknown>;
  input: Record<string, unknown>;
}

export const modelPrefix = (name: string, dataset: string) => `models/${name}/dataset=${dataset}`;

async function put(s3: S3Client, bucket: string, key: string, body: string, type: string) {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: type }));
  return {
    uri: `s3://${bucket}/${key}`,
    bytes: Buffer.byteLength(body),
    sha256: createHash('sha256').update(body).digest('hex'),
  };
}

/**
 * Writes params.json, metrics.json, feature_schema.json and input.json to
 * `models/<name>/dataset=<id>/run_id=<run>/`, then `models/<name>/dataset=<id>/latest` (JSON naming
 * that run), last, so a reader following `latest` never sees a half-written run.
 */
export async function writeArtifacts(s3: S3Client, bucket: string, dataset: string, runId: string, a: ModelArtifacts) {
  const prefix = `${modelPrefix(a.name, dataset)}/run_id=${runId}`;
  const written = [];
  for (const [file, doc] of Object.entries({
    params: a.params,
    metrics: a.metrics,
    feature_schema: a.featureSchema,
    input: a.input,
  })) {
    written.push(
      await put(s3, bucket, `${prefix}/${file}.json`, `${JSON.stringify(doc, null, 2)}\n`, 'application/json'),
    );
  }
  const latest = { run_id: runId, prefix: `s3://${bucket}/${prefix}/`, snapshot_id: a.input.snapshot_id };
  written.push(
    await put(s3, bucket, `${modelPrefix(a.name, dataset)}/latest`, `${JSON.stringify(latest)}\n`, 'application/json'),
  );
  return written;
}

/** Writes the model report beside the analysis report: reports/models/dataset=<id>/dt=<dt>/. */
export async function writeReport(s3: S3Client, bucket: string, dataset: string, dt: string, md: string, html: string) {
  const prefix = `reports/models/dataset=${dataset}/dt=${dt}`;
  return [
    await put(s3, bucket, `${prefix}/models.md`, md, 'text/markdown; charset=utf-8'),
    await put(s3, bucket, `${prefix}/index.html`, html, 'text/html; charset=utf-8'),
  ];
}

export const reportUri = (bucket: string, dataset: string, dt: string) =>
  `s3://${bucket}/reports/models/dataset=${dataset}/dt=${dt}/index.html`;
