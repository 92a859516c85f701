import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import type { RecordBytes } from '../../source/records';

/**
 * Per-day spill files on local disk (paced replays): the routing pass appends each source record of a day to its
 * day's file, the publishing pass reads them back one day at a time, in date order. A frame is
 * `[u32 row][u32 byte length][the record's bytes as read]`. Writes are buffered (256 KiB) and wait for the
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

  /** Appends record `row` (bytes `start..end` of `data`); resolves at once unless the buffer is full and the disk is behind. */
  async append(row: number, data: Buffer, start: number, end: number): Promise<void> {
    const length = end - start;
    const room = 8 + length;
    if (this.offset + room > this.buffer.length) await this.flush(room);
    data.copy(this.buffer, this.offset + 8, start, end);
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

/** Reads a spill file back in the order written, a chunk's worth of records at a time, as the raw object's bytes. */
export async function* readSpill(file: string): AsyncGenerator<RecordBytes> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const out: RecordBytes = { data, count: 0, rows: [], starts: [], ends: [] };
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
