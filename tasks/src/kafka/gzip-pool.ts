import { constants, createGzip, type Gzip, type ZlibReset } from 'node:zlib';

/** Idle compressors by level. */
const idle = new Map<number, Compressor[]>();

// Node's Gzip has reset() (from its zlib base class); @types/node only declares it on Deflate and friends.
type Compressor = Gzip & ZlibReset;

/**
 * gzip of `data` at `level` (-1 = zlib's default), on libuv's thread pool, with a compressor reused
 * from batch to batch: a new one per batch (zlib.gzip) allocates and initialises its deflate state
 * on the main thread every time, which cost as much main-thread time as the rest of the call. The
 * output is the same bytes as zlib.gzip (a unit test compares them through the batch encoder).
 * Output comes in 256 KiB pieces: zlib's default 16 KiB costs a thread-pool round trip per piece.
 */
export function gzip(data: Buffer, level: number): Promise<Buffer> {
  const z = idle.get(level)?.pop() ?? (createGzip({ level, chunkSize: 256 * 1024 }) as Compressor);
  return new Promise<Buffer>((resolve, reject) => {
    const pieces: Buffer[] = [];
    const onData = (piece: Buffer) => pieces.push(piece);
    // A compressor that failed is dropped, not reused.
    const onError = (error: Error) => {
      z.off('data', onData);
      reject(error);
    };
    z.on('data', onData).once('error', onError);
    z.write(data);
    z.flush(constants.Z_FINISH, () => {
      z.off('data', onData).off('error', onError);
      z.reset();
      const pool = idle.get(level) ?? [];
      if (pool.length < 8) pool.push(z);
      idle.set(level, pool);
      resolve(Buffer.concat(pieces));
    });
  });
}
