import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { FailingRow } from './engine';

/** `lake/quarantine/quality/<suite>/dataset=<id>/dt=<d>/run_id=<run>/failing_rows.ndjson` */
export function quarantineKey(suite: string, dataset: string, dt: string, runId: string): string {
  return `lake/quarantine/quality/${suite}/dataset=${dataset}/dt=${dt}/run_id=${runId}/failing_rows.ndjson`;
}

/** `reports/quality/<suite>/dt=<d>/run_id=<run>/` */
export function reportPrefix(suite: string, dt: string, runId: string): string {
  return `reports/quality/${suite}/dt=${dt}/run_id=${runId}/`;
}

/**
 * Spools failing rows to a local NDJSON file during the pass (memory stays flat however many rows
 * fail) and uploads it once at the end; keeps a few rows per expectation for the HTML report.
 */
export class QuarantineSpool {
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'quality-quarantine-'));
  private readonly file = path.join(this.dir, 'failing_rows.ndjson');
  private readonly out: WriteStream = createWriteStream(this.file);
  readonly samples = new Map<number, FailingRow[]>();
  rows = 0;

  constructor(
    private readonly suite: string,
    private readonly perExpectation = 5,
  ) {}

  async add(row: FailingRow): Promise<void> {
    this.rows++;
    for (const f of row.failed_expectations) {
      const list = this.samples.get(f.index) ?? [];
      if (list.length < this.perExpectation) list.push(row);
      this.samples.set(f.index, list);
    }
    const line = `${JSON.stringify({ suite: this.suite, ...row })}\n`;
    if (!this.out.write(line)) await new Promise<void>((r) => this.out.once('drain', () => r()));
  }

  /** Uploads the spool (when any row failed) and removes the local file; returns the bytes written. */
  async upload(s3: S3Client, bucket: string, key: string): Promise<number> {
    await new Promise<void>((resolve, reject) => this.out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    try {
      if (!this.rows) return 0;
      const bytes = statSync(this.file).size;
      await new Upload({
        client: s3,
        params: { Bucket: bucket, Key: key, Body: createReadStream(this.file), ContentType: 'application/x-ndjson' },
        partSize: 8 * 1024 * 1024,
        queueSize: 2,
      }).done();
      return bytes;
    } finally {
      this.dispose();
    }
  }

  dispose(): void {
    this.out.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
