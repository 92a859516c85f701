import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { RecordSplitter, splitFields } from '../../source/records';
import { ColumnStats, type ColumnProfile } from './columns';

export interface FileProfile {
  file: string;
  name: string;
  bytes: number;
  /** Data records (the header excluded). */
  rows: number;
  header: string[];
  /** Records whose field count differs from the header's (profiled by position as far as they go). */
  raggedRows: number;
  columns: ColumnProfile[];
  seconds: number;
}

/** Profiles parsed records; the first one is the header. Pure: the unit tests feed it arrays. */
export class Profiler {
  private header: string[] | null = null;
  private columns: ColumnStats[] = [];
  private rows = 0;
  private ragged = 0;

  add(fields: string[]): void {
    if (!this.header) {
      this.header = fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f));
      this.columns = this.header.map((name) => new ColumnStats(name));
      return;
    }
    this.rows++;
    if (fields.length !== this.columns.length) this.ragged++;
    const n = Math.min(fields.length, this.columns.length);
    for (let i = 0; i < n; i++) this.columns[i]!.add(fields[i]!);
  }

  result(topN: number) {
    return {
      header: this.header ?? [],
      rows: this.rows,
      raggedRows: this.ragged,
      columns: this.columns.map((c) => c.result(this.rows, topN)),
    };
  }
}

/**
 * One streaming pass over a CSV file (RFC 4180): memory holds one read buffer and the per-column
 * counters, which are bounded (exact up to 50,000 distinct values per column, estimated beyond).
 */
export async function profileFile(
  file: string,
  topN: number,
  onProgress: (rows: number) => void = () => undefined,
): Promise<FileProfile> {
  const started = Date.now();
  const { size } = await stat(file);
  const profiler = new Profiler();
  const splitter = new RecordSplitter();
  const add = ({ text }: { text: string }) => profiler.add(splitFields(text));
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    splitter.push(chunk, add);
    onProgress(splitter.records);
  }
  splitter.end(add);
  return {
    file,
    name: path.basename(file),
    bytes: size,
    ...profiler.result(topN),
    seconds: (Date.now() - started) / 1000,
  };
}
