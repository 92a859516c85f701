import { parquetRead } from 'hyparquet';
import type { AsyncBuffer, ColumnData, FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

/**
 * Row windows of a Parquet file through hyparquet's public API: each window is one `parquetRead`
 * of a row range inside one row group, projected to the wanted columns, so only that group's
 * column chunks are fetched (ranged reads through the AsyncBuffer) and only the window's rows are
 * decoded and held. A row group longer than `windowRows` is read in several windows; with an
 * offset index (Spark writes one) each window fetches only its own pages.
 */

/** Rows decoded at most at once (a few tens of MB of column arrays for the staged columns). */
export const WINDOW_ROWS = 131_072;

/** One window: rows start..start+length of the file, column by column. */
export interface RowWindow {
  start: number;
  length: number;
  /** Per column, one value per row: string, number (INT32, DATE as days, DECIMAL), bigint, boolean, string[] (LIST), or null. */
  columns: Map<string, ArrayLike<unknown>>;
}

/** Dates stay day numbers (the reader compares them with the partition's day). */
const PARSERS = { dateFromDays: (days: number) => days };

/** The windows of a file in row order, `windowRows` rows at most each, never across row groups. */
export async function* rowWindows(
  file: AsyncBuffer,
  metadata: FileMetaData,
  columns: string[],
  windowRows = WINDOW_ROWS,
): AsyncGenerator<RowWindow> {
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    for (let start = groupStart; start < groupEnd; start += windowRows) {
      const end = Math.min(groupEnd, start + windowRows);
      const chunks = new Map<string, ColumnData[]>();
      await parquetRead({
        file,
        metadata,
        columns,
        rowStart: start,
        rowEnd: end,
        compressors,
        parsers: PARSERS,
        useOffsetIndex: true,
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
    groupStart = groupEnd;
  }
}

/** A column's chunks cut to exactly rows [start, start + rows): chunks may extend past the window. */
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
