import { parquetRead } from 'hyparquet';
import type { AsyncBuffer, ColumnData, FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

/**
 * The row groups of a Parquet file through hyparquet's public API: each is one `parquetRead` of
 * the group's row range, projected to the wanted columns, so only that group's column chunks are
 * fetched (ranged reads through the AsyncBuffer) and decoded. Memory follows the row group: about
 * 0.5 KB a row while the silver columns decode (hyparquet builds one value per row and column), so
 * the writer bounds row groups (glue/jobs/order_lines/publish.py) and a part is never held whole.
 */

/** One row group: rows start..start+length of the file, column by column. */
export interface RowWindow {
  start: number;
  length: number;
  /** Per column, one value per row: string, number (INT32, DATE as days, DECIMAL), bigint, boolean, string[] (LIST), or null. */
  columns: Map<string, ArrayLike<unknown>>;
}

/** Dates stay day numbers (the reader compares them with the partition's day). */
const PARSERS = { dateFromDays: (days: number) => days };

/** The row groups of a file in row order (empty groups skipped). */
export async function* rowGroups(
  file: AsyncBuffer,
  metadata: FileMetaData,
  columns: string[],
): AsyncGenerator<RowWindow> {
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    if (end > start) {
      const chunks = new Map<string, ColumnData[]>();
      await parquetRead({
        file,
        metadata,
        columns,
        rowStart: start,
        rowEnd: end,
        compressors,
        parsers: PARSERS,
        onChunk: (c) => {
          const list = chunks.get(c.columnName) ?? [];
          list.push(c);
          chunks.set(c.columnName, list);
        },
      });
      const out = new Map<string, ArrayLike<unknown>>();
      for (const name of columns) out.set(name, window(chunks.get(name) ?? [], start, end - start));
      yield { start, length: end - start, columns: out };
    }
    start = end;
  }
}

/** A column's chunks joined into exactly rows [start, start + rows). */
export function window(chunks: ColumnData[], start: number, rows: number): ArrayLike<unknown> {
  const only = chunks[0];
  if (chunks.length === 1 && only && only.rowStart === start && only.rowEnd === start + rows)
    return only.columnData as ArrayLike<unknown>;
  const out = new Array<unknown>(rows).fill(null);
  for (const c of chunks) {
    const data = c.columnData as ArrayLike<unknown>;
    for (let r = Math.max(c.rowStart, start); r < Math.min(c.rowEnd, start + rows); r++)
      out[r - start] = data[r - c.rowStart];
  }
  return out;
}
