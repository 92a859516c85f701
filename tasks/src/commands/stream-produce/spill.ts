import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';

/**
 * Per-day spill files on local disk: the routing pass appends each source record of a day to its
 * day's file, the publishing pass reads them back one day at a time, in date order. A frame is
 * `[u32 row][u32 byte length][UTF-8 record text]`. Writes are buffered (256 KiB) and wait for the
 * disk when it lags, so memory stays bounded whatever the object size.
 */
const BUFFER_BYTES = 256 * 1024;

export class SpillWriter {
  private readonly stream: WriteStream;
  private buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private offset = 0;
  private failure: Error | undefined;
  records = 0;
  bytes = 0;

  constructor(readonly file: string) {
    this.stream = createWriteStream(file);
    this.stream.on('error', (error) => (this.failure = error));
  }

  /** Appends one record; resolves at once unless the buffer is full and the disk is behind. */
  async append(row: number, text: string): Promise<void> {
    // A UTF-16 unit takes at most 3 UTF-8 bytes: reserve that, write, then record the real length.
    const room = 8 + text.length * 3;
    if (this.offset + room > this.buffer.length) await this.flush(room);
    const length = this.buffer.write(text, this.offset + 8, 'utf8');
    this.buffer.writeUInt32LE(row, this.offset);
    this.buffer.writeUInt32LE(length, this.offset + 4);
    this.offset += 8 + length;
    this.records++;
    this.bytes += 8 + length;
  }

  /** Hands the filled part to the stream (which keeps it until written) and starts a new buffer. */
  private async flush(room = 0): Promise<void> {
    if (this.failure) throw this.failure;
    const filled = this.buffer.subarray(0, this.offset);
    this.buffer = Buffer.allocUnsafe(Math.max(BUFFER_BYTES, room));
    this.offset = 0;
    if (filled.length && !this.stream.write(filled)) await once(this.stream, 'drain');
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'close');
    if (this.failure) throw this.failure;
  }
}

/**
 * Records read back from a spill file: record i is `data[starts[i], ends[i])`, UTF-8, numbered
 * `rows[i]`. Bytes, not strings: the publisher writes most events straight from them.
 */
export interface SpilledChunk {
  data: Buffer;
  count: number;
  rows: number[];
  starts: number[];
  ends: number[];
}

/** Reads a spill file back in the order written, a chunk's worth of records at a time. */
export async function* readSpill(file: string): AsyncGenerator<SpilledChunk> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const out: SpilledChunk = { data, count: 0, rows: [], starts: [], ends: [] };
    let p = 0;
    while (p + 8 <= data.length) {
      const length = data.readUInt32LE(p + 4);
      if (p + 8 + length > data.length) break;
      out.rows.push(data.readUInt32LE(p));
      out.starts.push(p + 8);
      out.ends.push(p + 8 + length);
      out.count++;
      p += 8 + length;
    }
    carry = data.subarray(p);
    if (out.count) yield out;
  }
  if (carry.length) throw new Error(`${file}: truncated spill frame (${carry.length} bytes left)`);
}
