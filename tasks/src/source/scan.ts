import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse/sync';

export interface FileScan {
  bytes: number;
  sha256: string;
  /** Data records (the header excluded); newlines inside quoted fields do not end a record. */
  rows: number;
  /** The header's column names, exactly as written (a UTF-8 BOM removed). */
  header: string[];
}

const QUOTE = 0x22;
const LF = 0x0a;

/**
 * One streaming pass over a CSV file: its size, sha256 and record count (RFC 4180 quoting aware),
 * and its parsed header. Memory stays at one read buffer whatever the file size.
 */
export async function scanCsvFile(file: string): Promise<FileScan> {
  const hash = createHash('sha256');
  let bytes = 0;
  let newlines = 0;
  let inQuotes = false;
  let lastByte = -1;
  const headerBytes: Buffer[] = [];
  let headerDone = false;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    let headerEnd = -1;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === QUOTE) inQuotes = !inQuotes;
      else if (b === LF && !inQuotes) {
        newlines++;
        if (!headerDone && headerEnd < 0) headerEnd = i;
      }
    }
    if (!headerDone) {
      headerBytes.push(headerEnd >= 0 ? chunk.subarray(0, headerEnd) : chunk);
      headerDone = headerEnd >= 0;
    }
    if (chunk.length) lastByte = chunk[chunk.length - 1]!;
  }
  // A last record without a trailing newline still counts.
  const records = newlines + (bytes > 0 && lastByte !== LF ? 1 : 0);
  const headerText = Buffer.concat(headerBytes)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r$/, '');
  const header = headerText ? ((parse(headerText, { relax_quotes: true })[0] as string[] | undefined) ?? []) : [];
  return { bytes, sha256: hash.digest('hex'), rows: Math.max(0, records - 1), header };
}
