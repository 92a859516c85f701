import { parquetRead, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, ColumnData, FileMetaData, RowGroup, SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { assemble, type ColumnShape, shapeOf, type SilverValues } from './decode/column';
import { ChunkScratch, readChunk, Unsupported } from './decode/pages';
import { fromRows } from './decode/rows';

/**
 * The row groups of a Parquet file, read a group at a time: the footer comes from hyparquet's
 * public API (parquetMetadataAsync, by the caller), then one ranged read fetches the group's span
 * of the wanted columns. Each column chunk is decoded by our page decoder (decode/), which keeps
 * texts as codes into their dictionary; a chunk it does not support (another value encoding or
 * codec) is read with hyparquet's `parquetRead` for that column and row range instead. Memory
 * follows the row group: typed arrays of about 100 bytes a row, not one JS value per row and column.
 */

/** One row group: rows start..start+length of the file, column by column. */
export interface RowWindow {
  start: number;
  length: number;
  columns: Map<string, SilverValues>;
}

/** Dates stay day numbers (the reader compares them with the partition's day). */
const PARSERS = { dateFromDays: (days: number) => days };

/** Where a column chunk's pages start and end in the file. */
function span(group: RowGroup, name: string): { start: number; end: number; codec: string; slots: number } {
  const chunk = group.columns.find((c) => c.meta_data?.path_in_schema[0] === name)?.meta_data;
  if (!chunk) throw new Error(`row group has no column chunk for ${name}`);
  const data = Number(chunk.data_page_offset);
  const dictionary = chunk.dictionary_page_offset === undefined ? data : Number(chunk.dictionary_page_offset);
  // Some writers record 0 for "no dictionary page"; a chunk never starts at the file's magic.
  const start = dictionary > 0 && dictionary < data ? dictionary : data;
  return {
    start,
    end: start + Number(chunk.total_compressed_size),
    codec: chunk.codec,
    slots: Number(chunk.num_values),
  };
}

/**
 * The row groups of a file in row order (empty groups skipped). A window's columns may share
 * arrays with the next window's: read a window whole before asking for the next. Text columns
 * named in `bytes` come as their UTF-8 bytes (kind 'bytes'), which stay the window's own.
 */
export async function* rowGroups(
  file: AsyncBuffer,
  metadata: FileMetaData,
  columns: string[],
  stats: { fallbackChunks: number } = { fallbackChunks: 0 },
  bytes: ReadonlySet<string> = new Set(),
): AsyncGenerator<RowWindow> {
  const schema = parquetSchema(metadata);
  const shapes = new Map<string, ColumnShape | Error>();
  const nodes = new Map<string, SchemaTree | undefined>();
  for (const name of columns) {
    const node = schema.children.find((c: SchemaTree) => c.element.name === name);
    nodes.set(name, node);
    try {
      if (!node) throw new Unsupported(`no column ${name}`);
      const shape = shapeOf(node);
      shapes.set(name, bytes.has(name) && shape.kind === 'text' && !shape.list ? { ...shape, kind: 'bytes' } : shape);
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      shapes.set(name, error);
    }
  }
  // A group's columns are staged (copied into its lines) before the next group decodes: each
  // column decodes into the same arrays every group.
  const arrays = new ChunkScratch();
  // Each group's bytes are requested while the group before it decodes (one read ahead).
  const nonEmpty = (from: number) => metadata.row_groups.slice(from).find((g) => Number(g.num_rows) > 0);
  const fetch = (g: RowGroup) => {
    const spans = columns.map((name) => span(g, name));
    const first = Math.min(...spans.map((s) => s.start));
    const bytes = file.slice(first, Math.max(...spans.map((s) => s.end)));
    // A read whose group is never reached (an earlier group failed) must not end the process.
    Promise.resolve(bytes).catch(() => undefined);
    return { spans, first, bytes };
  };
  const firstGroup = nonEmpty(0);
  let next = firstGroup ? fetch(firstGroup) : undefined;
  let start = 0;
  for (const [index, group] of metadata.row_groups.entries()) {
    const rows = Number(group.num_rows);
    const end = start + rows;
    if (rows > 0) {
      const { spans, first, bytes: pending } = next!;
      const data = new Uint8Array(await pending);
      const after = nonEmpty(index + 1);
      next = after ? fetch(after) : undefined;
      const out = new Map<string, SilverValues>();
      for (const [i, name] of columns.entries()) {
        const shape = shapes.get(name)!;
        const s = spans[i]!;
        let values: SilverValues | undefined;
        if (!(shape instanceof Error)) {
          try {
            // Lists hold a few ids a line; a chunk claiming far more values than that is damaged.
            if (s.slots > 64 * rows + 1024) throw new Error(`column ${name} says ${s.slots} values for ${rows} rows`);
            const chunk = data.subarray(s.start - first, s.end - first);
            values = assemble(
              shape,
              readChunk(shape, s.codec as never, chunk, s.slots, { arrays, column: name }),
              rows,
            );
          } catch (error) {
            if (!(error instanceof Unsupported)) throw error;
          }
        }
        if (!values) {
          stats.fallbackChunks += 1;
          const rowsOf = await readWithHyparquet(file, metadata, name, start, end);
          values = fromRows(rowsOf, nodes.get(name), bytes.has(name));
        }
        out.set(name, values);
      }
      yield { start, length: rows, columns: out };
    }
    start = end;
  }
}

/** One column's rows start..end through hyparquet's public API. */
async function readWithHyparquet(
  file: AsyncBuffer,
  metadata: FileMetaData,
  name: string,
  start: number,
  end: number,
): Promise<ArrayLike<unknown>> {
  const chunks: ColumnData[] = [];
  await parquetRead({
    file,
    metadata,
    columns: [name],
    rowStart: start,
    rowEnd: end,
    compressors,
    parsers: PARSERS,
    onChunk: (c) => chunks.push(c),
  });
  return window(chunks, start, end - start);
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
