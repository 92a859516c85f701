import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { InputRejectedError } from '../errors';
import { SOURCE_COLUMNS } from './columns';

/** A source file with its header line replaced by the source header: what ingest-raw stores for a mapped file. */
export interface AdaptedFile {
  /** sha256 and size of the adapted bytes (the stored object), not of the file. */
  sha256: string;
  bytes: number;
  /** A fresh stream of the adapted bytes: the source header, then the file from its second record. */
  body(): Readable;
}

/** Byte offset just past the header's line break, and that break (`\r\n`, `\n`, or none for a header-only file). */
async function headerEnd(file: string): Promise<{ end: number; eol: string }> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    let pos = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (!bytesRead) return { end: pos, eol: '' };
      const lf = buf.subarray(0, bytesRead).indexOf(0x0a);
      if (lf >= 0) {
        const cr = lf > 0 ? buf[lf - 1] === 0x0d : false; // a CR split from its LF by a read is a 64 KiB header: not ours
        return { end: pos + lf + 1, eol: cr ? '\r\n' : '\n' };
      }
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

/**
 * Adapts a file whose header was renamed: the stored object starts with the source header spelt
 * exactly (SOURCE_COLUMNS, the file's own line break kept), and every later byte is the file's, so
 * each reader downstream (stream-produce, the reconcile gate) reads it as any other raw object.
 * One extra pass over the file, to hash what will be stored.
 * @param header the file's header as scanned (a line break inside a quoted name cannot be adapted)
 * @throws InputRejectedError for a header record holding a line break
 */
export async function adaptHeader(file: string, header: readonly string[]): Promise<AdaptedFile> {
  if (header.some((name) => /[\r\n]/.test(name))) {
    throw new InputRejectedError(`${file}: the header has a line break inside a column name: it cannot be mapped`);
  }
  const { end, eol } = await headerEnd(file);
  const first = Buffer.from(SOURCE_COLUMNS.join(',') + eol, 'utf8');
  const body = () =>
    Readable.from(
      (async function* () {
        yield first;
        yield* createReadStream(file, { start: end, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
      })(),
    );
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of body() as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes, body };
}
