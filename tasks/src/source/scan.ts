import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ByteRecordSplitter, recordText, splitFields, type RecordBytes } from './records';

export interface FileScan {
  bytes: number;
  sha256: string;
  /** Data records (the header excluded); newlines inside quoted fields do not end a record. */
  rows: number;
  /** The header's column names, exactly as written (a UTF-8 BOM removed). */
  header: string[];
}

/**
 * One streaming pass over a CSV file: its size, sha256 and record count, and its parsed header,
 * read by the program's one CSV reader (`ByteRecordSplitter`, so quoting, CRLF, a BOM and line breaks
 * inside quotes count as every other step counts them). Memory: one read buffer and one record.
 */
export async function scanCsvFile(file: string): Promise<FileScan> {
  const hash = createHash('sha256');
  let bytes = 0;
  let header: string[] | undefined;
  const splitter = new ByteRecordSplitter();
  // Only the header is decoded; the other records are counted.
  const onRecords = (r: RecordBytes) => {
    if (r.count && r.rows[0] === 1) header = splitFields(recordText(r, 0));
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    onRecords(splitter.push(chunk));
  }
  onRecords(splitter.end());
  const records = splitter.records;
  const fields = header ?? [];
  return {
    bytes,
    sha256: hash.digest('hex'),
    rows: Math.max(0, records - 1),
    header: fields.length === 1 && fields[0] === '' ? [] : fields,
  };
}
