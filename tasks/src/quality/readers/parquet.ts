import { parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, ColumnData, FileMetaData, SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { Batch } from '../batch';

/** The dtype pandas gives a Parquet column when pyarrow reads it (object for text, decimals, dates, lists). */
export function pandasDtype(node: SchemaTree): string {
  const e = node.element;
  if (node.children.length) return 'object';
  const logical = e.logical_type;
  if (logical?.type === 'INTEGER') return `${logical.isSigned ? '' : 'u'}int${logical.bitWidth}`;
  if (logical?.type === 'TIMESTAMP') return 'datetime64[ns]';
  if (logical || e.converted_type) {
    const c = e.converted_type;
    const ints: Record<string, string> = {
      INT_8: 'int8',
      INT_16: 'int16',
      INT_32: 'int32',
      INT_64: 'int64',
      UINT_8: 'uint8',
      UINT_16: 'uint16',
      UINT_32: 'uint32',
      UINT_64: 'uint64',
    };
    if (c && ints[c]) return ints[c]!;
    if (c === 'TIMESTAMP_MILLIS' || c === 'TIMESTAMP_MICROS') return 'datetime64[ns]';
    return 'object';
  }
  const physical: Record<string, string> = {
    BOOLEAN: 'bool',
    INT32: 'int32',
    INT64: 'int64',
    FLOAT: 'float32',
    DOUBLE: 'float64',
    INT96: 'datetime64[ns]',
  };
  return physical[e.type ?? ''] ?? 'object';
}

export interface ParquetFile {
  file: AsyncBuffer;
  source: string;
}

/** Column names and dtypes of a Parquet file, from its footer. */
export async function parquetColumns(
  input: ParquetFile,
): Promise<{ metadata: FileMetaData; names: string[]; dtypes: Map<string, string> }> {
  const metadata = await parquetMetadataAsync(input.file);
  const tree = parquetSchema(metadata);
  const names = tree.children.map((c) => c.element.name);
  const dtypes = new Map(tree.children.map((c) => [c.element.name, pandasDtype(c)]));
  return { metadata, names, dtypes };
}

/**
 * A Parquet file one row group at a time, in columnar form: memory holds one row group of the
 * projected columns. Values: strings, numbers (decimals as numbers), bigint (INT64), booleans,
 * Date (DATE), arrays (LIST).
 */
export async function* parquetBatches(
  input: ParquetFile,
  metadata: FileMetaData,
  names: string[],
  firstIndex: number,
  wanted: Set<string> | null,
): AsyncIterable<Batch> {
  const columns = wanted ? names.filter((n) => wanted.has(n)) : names;
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const rows = Number(group.num_rows);
    const chunks = new Map<string, ColumnData[]>();
    if (rows > 0 && columns.length) {
      await parquetRead({
        file: input.file,
        metadata,
        columns,
        rowStart: groupStart,
        rowEnd: groupStart + rows,
        compressors,
        onChunk: (c) => {
          const list = chunks.get(c.columnName) ?? [];
          list.push(c);
          chunks.set(c.columnName, list);
        },
      });
    }
    const data = new Map<string, ArrayLike<unknown>>();
    for (const name of columns) data.set(name, assemble(chunks.get(name) ?? [], groupStart, rows));
    yield {
      length: rows,
      columns: data,
      source: input.source,
      firstRow: groupStart + 1,
      firstIndex: firstIndex + groupStart,
    };
    groupStart += rows;
  }
}

/** Joins a column's chunks into one array covering exactly [start, start + rows). */
function assemble(chunks: ColumnData[], start: number, rows: number): ArrayLike<unknown> {
  const only = chunks[0];
  if (chunks.length === 1 && only && only.rowStart === start && only.rowEnd === start + rows)
    return only.columnData as ArrayLike<unknown>;
  const out = new Array<unknown>(rows).fill(null);
  for (const c of chunks) {
    for (let r = Math.max(c.rowStart, start); r < Math.min(c.rowEnd, start + rows); r++)
      out[r - start] = (c.columnData as ArrayLike<unknown>)[r - c.rowStart];
  }
  return out;
}
