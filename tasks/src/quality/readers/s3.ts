import type { S3Client } from '@aws-sdk/client-s3';
import { InputRejectedError } from '../../errors';
import type { Batch } from '../batch';
import type { Reader } from '../engine';
import { parquetBatches, parquetColumns } from './parquet';
import { listDataObjects, objectStream, s3AsyncBuffer, type DataFormat } from './s3-objects';
import { csvBatches, ndjsonBatches } from './text';

/**
 * Every data object under an S3 prefix (NDJSON, CSV or Parquet, one format per prefix), read in key
 * order as one table: the 0-based row index runs across objects, as if pandas had concatenated them.
 */
export async function s3Reader(s3: S3Client, uri: string): Promise<Reader & { objects: number; bytes: number; format: DataFormat | null }> {
  const objects = await listDataObjects(s3, uri);
  const formats = new Set(objects.map((o) => o.format));
  if (formats.size > 1) {
    throw new InputRejectedError(`${uri} mixes data formats (${[...formats].join(', ')}): point --source at one dataset`);
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
        const source = `s3://${o.bucket}/${o.key}`;
        let it: AsyncIterable<Batch>;
        if (o.format === 'parquet') {
          const file = s3AsyncBuffer(s3, o.bucket, o.key, o.size);
          const meta = await parquetColumns({ file, source });
          for (const n of meta.names) {
            if (!seen.has(n)) (seen.add(n), names.push(n));
            if (!dtypes.has(n)) dtypes.set(n, meta.dtypes.get(n)!);
          }
          it = parquetBatches({ file, source }, meta.metadata, meta.names, index, wanted);
        } else {
          const body = await objectStream(s3, o.bucket, o.key);
          const input = { body, source, gzip: o.key.endsWith('.gz') };
          it = o.format === 'csv' ? csvBatches(input, index, names, seen, wanted) : ndjsonBatches(input, index, names, seen, wanted);
        }
        for await (const batch of it) {
          index += batch.length;
          yield batch;
        }
      }
    },
  };
}
