import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AsyncBuffer } from 'hyparquet';
import { InputRejectedError } from '../../errors';
import type { Batch } from '../batch';
import type { Reader } from '../engine';
import { parquetBatches, parquetColumns } from './parquet';
import { formatOf, listDataObjects, objectStream, s3AsyncBuffer, type DataFormat } from './s3-objects';
import { csvBatches, ndjsonBatches } from './text';

/**
 * Every data object under an S3 prefix (NDJSON, CSV or Parquet, one format per prefix), read in key
 * order as one table: the 0-based row index runs across objects, as if pandas had concatenated them.
 */
export async function s3Reader(s3: S3Client, uri: string): Promise<ObjectsReader> {
  const listed = await listDataObjects(s3, uri);
  return objectsReader(
    uri,
    listed.map((o) => ({
      uri: `s3://${o.bucket}/${o.key}`,
      size: o.size,
      format: o.format,
      body: () => objectStream(s3, o.bucket, o.key),
      buffer: () => s3AsyncBuffer(s3, o.bucket, o.key, o.size),
    })),
  );
}

/** A local file or folder (`file://` or a path): the same readers over the local file system. */
export async function fileReader(uri: string): Promise<ObjectsReader> {
  const root = uri.replace(/^file:\/\//, '');
  const info = await stat(root).catch(() => null);
  if (!info) throw new InputRejectedError(`${root}: no such file or folder`);
  const paths = info.isDirectory()
    ? (await readdir(root, { recursive: true })).map((p) => path.join(root, p)).sort()
    : [root];
  const objects: DataObject[] = [];
  for (const p of paths) {
    const format = formatOf(p);
    if (
      !format ||
      path
        .relative(root, p)
        .split(path.sep)
        .some((part) => part.startsWith('_'))
    )
      continue;
    const size = (await stat(p)).size;
    objects.push({
      uri: p,
      size,
      format,
      body: async () => createReadStream(p, { highWaterMark: 1 << 20 }),
      buffer: () => fileBuffer(p, size),
    });
  }
  return objectsReader(uri, objects);
}

function fileBuffer(file: string, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end?: number) {
      const fh = await open(file, 'r');
      try {
        const out = Buffer.alloc((end ?? size) - start);
        await fh.read(out, 0, out.length, start);
        return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
      } finally {
        await fh.close();
      }
    },
  };
}

interface DataObject {
  uri: string;
  size: number;
  format: DataFormat;
  body: () => Promise<AsyncIterable<Uint8Array>>;
  buffer: () => AsyncBuffer;
}

export type ObjectsReader = Reader & { objects: number; bytes: number; format: DataFormat | null };

function objectsReader(uri: string, objects: DataObject[]): ObjectsReader {
  const formats = new Set(objects.map((o) => o.format));
  if (formats.size > 1) {
    throw new InputRejectedError(
      `${uri} mixes data formats (${[...formats].join(', ')}): point --source at one dataset`,
    );
  }
  const names: string[] = [];
  const seen = new Set<string>();
  const dtypes = new Map<string, string>();
  const format = objects[0]?.format ?? null;
  return {
    objects: objects.length,
    bytes: objects.reduce((n, o) => n + o.size, 0),
    format,
    describe: () => `${uri} (${objects.length} ${format ?? 'data'} object${objects.length === 1 ? '' : 's'})`,
    schema: () => ({ columns: names, dtypes }),
    async *batches(wanted: Set<string> | null): AsyncIterable<Batch> {
      let index = 0;
      for (const o of objects) {
        const source = o.uri;
        let it: AsyncIterable<Batch>;
        if (o.format === 'parquet') {
          const file = o.buffer();
          const meta = await parquetColumns({ file, source });
          for (const n of meta.names) {
            if (!seen.has(n)) {
              seen.add(n);
              names.push(n);
            }
            if (!dtypes.has(n)) dtypes.set(n, meta.dtypes.get(n)!);
          }
          it = parquetBatches({ file, source }, meta.metadata, meta.names, index, wanted);
        } else {
          const input = { body: await o.body(), source, gzip: o.uri.endsWith('.gz') };
          it =
            o.format === 'csv'
              ? csvBatches(input, index, names, seen, wanted)
              : ndjsonBatches(input, index, names, seen, wanted);
        }
        for await (const batch of it) {
          index += batch.length;
          yield batch;
        }
      }
    },
  };
}
