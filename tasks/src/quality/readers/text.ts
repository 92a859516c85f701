import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputRejectedError } from '../../errors';
import { readRecords, splitFields, type RecordText } from '../../source/records';
import type { Batch } from '../batch';

export const TEXT_BATCH_ROWS = 8192;

/** Nested objects become dotted columns (`line.order_id`), as pandas `json_normalize` names them. */
export function flatten(
  obj: Record<string, unknown>,
  prefix = '',
  into: Record<string, unknown> = {},
): Record<string, unknown> {
  for (const [k, v] of Object.entries(obj)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, name, into);
    else into[name] = v;
  }
  return into;
}

/** Collects row objects into columnar batches; `names` grows with every new column seen. */
class Batcher {
  rows: Record<string, unknown>[] = [];
  constructor(
    private readonly names: string[],
    private readonly seen: Set<string>,
  ) {}
  add(row: Record<string, unknown>) {
    for (const k in row) {
      if (!this.seen.has(k)) {
        this.seen.add(k);
        this.names.push(k);
      }
    }
    this.rows.push(row);
  }
  take(source: string, firstRow: number, firstIndex: number, wanted: Set<string> | null): Batch {
    const columns = new Map<string, unknown[]>();
    for (const name of this.names) {
      if (wanted && !wanted.has(name)) continue;
      columns.set(
        name,
        this.rows.map((r) => (r[name] === undefined ? null : r[name])),
      );
    }
    const batch = { length: this.rows.length, columns, source, firstRow, firstIndex };
    this.rows = [];
    return batch;
  }
}

export interface TextSource {
  body: AsyncIterable<Uint8Array>;
  source: string;
  gzip?: boolean;
}

/**
 * NDJSON in batches: one JSON object a line (blank lines skipped), nested objects flattened.
 * @throws InputRejectedError naming the object and line when a line is not a JSON object.
 */
export async function* ndjsonBatches(
  input: TextSource,
  firstIndex: number,
  names: string[],
  seen: Set<string>,
  wanted: Set<string> | null,
): AsyncIterable<Batch> {
  const stream = input.gzip ? Readable.from(input.body).pipe(createGunzip()) : input.body;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const batcher = new Batcher(names, seen);
  let carry = '';
  let line = 0;
  let batchFirstLine = 1;
  let index = firstIndex;
  const handle = (text: string) => {
    line++;
    if (!text.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new InputRejectedError(`${input.source}, line ${line}: not JSON (${(error as Error).message})`, {
        details: { object: input.source, line },
      });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InputRejectedError(`${input.source}, line ${line}: not a JSON object`, {
        details: { object: input.source, line },
      });
    }
    if (!batcher.rows.length) batchFirstLine = line;
    batcher.add(flatten(value as Record<string, unknown>));
  };
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    const parts = (carry + decoder.decode(chunk, { stream: true })).split('\n');
    carry = parts.pop()!;
    for (const part of parts) {
      handle(part);
      if (batcher.rows.length >= TEXT_BATCH_ROWS) {
        const b = batcher.take(input.source, batchFirstLine, index, wanted);
        index += b.length;
        yield b;
      }
    }
  }
  carry += decoder.decode();
  if (carry) handle(carry);
  if (batcher.rows.length) yield batcher.take(input.source, batchFirstLine, index, wanted);
}

/**
 * CSV (RFC 4180) in batches: the first record is the header; empty fields are missing values, as
 * pandas reads them; values stay text. `firstRow` counts data records (the header excluded).
 * @throws InputRejectedError naming the object and record when a record has the wrong field count.
 */
export async function* csvBatches(
  input: TextSource,
  firstIndex: number,
  names: string[],
  seen: Set<string>,
  wanted: Set<string> | null,
): AsyncIterable<Batch> {
  const batcher = new Batcher(names, seen);
  let header: string[] | null = null;
  let record = 0;
  let index = firstIndex;
  let batchFirst = 1;
  for await (const { text } of records(input.body)) {
    const fields = splitFields(text);
    if (!header) {
      header = fields;
      continue;
    }
    record++;
    if (fields.length !== header.length) {
      throw new InputRejectedError(
        `${input.source}, record ${record}: ${fields.length} fields where the header has ${header.length}`,
        {
          details: { object: input.source, record },
        },
      );
    }
    const row: Record<string, unknown> = {};
    for (let j = 0; j < header.length; j++) row[header[j]!] = fields[j] === '' ? null : fields[j];
    if (!batcher.rows.length) batchFirst = record;
    batcher.add(row);
    if (batcher.rows.length >= TEXT_BATCH_ROWS) {
      const b = batcher.take(input.source, batchFirst, index, wanted);
      index += b.length;
      yield b;
    }
  }
  for (const h of header ?? []) {
    if (seen.has(h)) continue;
    seen.add(h);
    names.push(h);
  }
  if (batcher.rows.length) yield batcher.take(input.source, batchFirst, index, wanted);
}

/** Records one at a time from the program's one CSV reader. */
async function* records(body: AsyncIterable<Uint8Array>): AsyncGenerator<RecordText> {
  for await (const batch of readRecords(body)) yield* batch;
}
