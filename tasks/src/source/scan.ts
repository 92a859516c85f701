import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { RecordSplitter, splitFields, type RecordText } from './records';

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
 * read by the program's one CSV reader (`RecordSplitter`, so quoting, CRLF, a BOM and line breaks
 * inside quotes count as every other step counts them). Memory: one read buffer and one record.
 */
export async function scanCsvFile(file: string): Promise<FileScan> {
  const hash = createHash('sha256');
  let bytes = 0;
  let header: string[] | undefined;
  const splitter = new RecordSplitter();
  const onRecord = (r: RecordText) => {
    if (r.row === 1) header = splitFields(r.text);
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    splitter.push(chunk, onRecord);
  }
  splitter.end(onRecord);
  const records = splitter.records;
  const fields = header ?? [];
  return {
    bytes,
    sha256: hash.digest('hex'),
    rows: Math.max(0, records - 1),
    header: fields.length === 1 && fields[0] === '' ? [] : fields,
  };
}
