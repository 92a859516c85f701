import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { exitCodeFor, PipelineError, ServiceError } from './errors';

/** One input or output of a step, as recorded in its result. */
export interface Artifact {
  uri: string;
  rows?: number;
  bytes?: number;
  sha256?: string;
  [extra: string]: unknown;
}

export type StepStatus = 'succeeded' | 'unchanged' | 'rejected' | 'failed';

/** The one JSON document every step leaves behind (S3 and the Airflow XCom file), also on failure. */
export interface StepResult {
  schema: 'sales-pipeline.step-result.v1';
  step: string;
  runId: string;
  dt: string | null;
  profile: string;
  dataset: string | null;
  /** What this run of the step covered besides its date, when one run id runs the step several
   * times (the quality gate: its suite); part of the result's S3 key so the runs never overwrite. */
  variant: string | null;
  status: StepStatus;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  inputs: Artifact[];
  outputs: Artifact[];
  counts: Record<string, number>;
  details: Record<string, unknown>;
  error: { name: string; message: string; exitCode: number; details?: Record<string, unknown> } | null;
}

/** Collects a step's facts while it runs; `finish` stamps status, timing and any error. */
export class ResultBuilder {
  readonly result: StepResult;

  constructor(step: string, runId: string, dt: string | undefined, profile: string, now = new Date()) {
    this.result = {
      schema: 'sales-pipeline.step-result.v1',
      step,
      runId,
      dt: dt ?? null,
      profile,
      dataset: null,
      variant: null,
      status: 'succeeded',
      startedAt: now.toISOString(),
      finishedAt: null,
      durationMs: null,
      inputs: [],
      outputs: [],
      counts: {},
      details: {},
      error: null,
    };
  }

  input(a: Artifact): this {
    this.result.inputs.push(a);
    return this;
  }
  output(a: Artifact): this {
    this.result.outputs.push(a);
    return this;
  }
  count(name: string, n: number): this {
    this.result.counts[name] = (this.result.counts[name] ?? 0) + n;
    return this;
  }
  set(status: StepStatus): this {
    this.result.status = status;
    return this;
  }

  finish(error?: unknown, now = new Date()): StepResult {
    const r = this.result;
    r.finishedAt = now.toISOString();
    r.durationMs = now.getTime() - Date.parse(r.startedAt);
    if (error !== undefined) {
      const code = exitCodeFor(error);
      r.status = code === 1 ? 'rejected' : 'failed';
      r.error = {
        name: error instanceof Error ? error.name : 'Error',
        message: error instanceof Error ? error.message : String(error),
        exitCode: code,
        ...(error instanceof PipelineError && Object.keys(error.details).length ? { details: error.details } : {}),
      };
    }
    return r;
  }
}

/** S3 key of a result: `runs/<step>/dt=<dt>/<runId>[__<variant>].json`. */
export function resultKey(r: StepResult): string {
  const name = r.variant ? `${r.runId}__${r.variant}` : r.runId;
  return `runs/${r.step}/dt=${r.dt ?? 'none'}/${name.replace(/[^A-Za-z0-9._=-]/g, '_')}.json`;
}

/** Where a result goes in S3; `timeoutMs` bounds the write, retries included. */
export interface ResultStore {
  client: S3Client;
  bucket: string;
  /** The store as a person would name it in an error, e.g. `bucket sales-pipeline at http://…`. */
  where?: string;
  timeoutMs?: number;
}

/**
 * Writes the result to the XCom file (creating its folder) and, when given a store, to S3. The S3
 * write is aborted after `timeoutMs` (an S3 store that accepts connections and never answers would
 * otherwise hold the step at its very end): @throws ServiceError naming the store.
 */
export async function writeResult(r: StepResult, xcomPath: string, s3?: ResultStore) {
  const body = JSON.stringify(r);
  await mkdir(path.dirname(xcomPath), { recursive: true });
  await writeFile(xcomPath, `${body}\n`);
  if (s3) {
    const timeoutMs = s3.timeoutMs ?? 30_000;
    const put = new PutObjectCommand({
      Bucket: s3.bucket,
      Key: resultKey(r),
      Body: body,
      ContentType: 'application/json',
    });
    const abortSignal = AbortSignal.timeout(timeoutMs);
    await s3.client.send(put, { abortSignal }).catch((error: unknown) => {
      const store = `the S3 store (${s3.where ?? `bucket ${s3.bucket}`})`;
      const what = abortSignal.aborted
        ? `did not answer the step result write within ${timeoutMs / 1000} s (S3_RESULT_TIMEOUT_SECONDS)`
        : `refused the step result write: ${error instanceof Error ? error.message : String(error)}`;
      throw new ServiceError(`${store} ${what}`, { cause: error, details: { sink: 's3', key: resultKey(r) } });
    });
  }
}
