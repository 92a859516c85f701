import type { Batch } from '../batch';
import type { Reader } from '../engine';

/**
 * Rows already in memory (the reconciliation table, unit tests): batched like the file readers so
 * the same engine path is exercised. Columns are the union of the rows' keys in first-seen order.
 */
export function memoryReader(
  rows: Record<string, unknown>[],
  options: { source?: string; batchSize?: number; columns?: string[]; dtypes?: Map<string, string> } = {},
): Reader {
  const source = options.source ?? 'memory';
  const batchSize = options.batchSize ?? 1000;
  const names = options.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return {
    describe: () => source,
    schema: () => ({ columns: names, dtypes: options.dtypes ?? new Map() }),
    async *batches(): AsyncIterable<Batch> {
      for (let start = 0; start < rows.length; start += batchSize) {
        const slice = rows.slice(start, start + batchSize);
        const columns = new Map<string, unknown[]>();
        for (const name of names)
          columns.set(
            name,
            slice.map((r) => r[name] ?? null),
          );
        yield { length: slice.length, columns, source, firstRow: start + 1, firstIndex: start };
      }
    },
  };
}
