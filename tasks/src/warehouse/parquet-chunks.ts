import type { ColumnMetaData, DataPageHeader, DataReader, PageHeader, SchemaTree } from 'hyparquet';

/**
 * Column chunks of a Parquet file read without assembling rows: each value slot of a chunk gets a
 * code into a table of decoded values (the dictionary's entries, then plainly encoded values in
 * page order), so a dictionary-encoded text column costs one decoded string per distinct value
 * and one integer per row, instead of a string reference per row and a list object per row.
 * Pages are decoded by hyparquet's own page functions (its package exports `src/*.js`).
 */

/** The values of one column of one row group. */
export interface RawChunk {
  /** Per value slot (a row of a flat column, a level entry of a list): index into values, -1 = absent. */
  codes: Int32Array;
  /** Decoded values: string (UTF-8 text), number (INT32), bigint (INT64), boolean, Uint8Array (fixed bytes). */
  values: unknown[];
  /** List columns: definition and repetition level of every slot. */
  def?: Uint8Array;
  rep?: Uint8Array;
}

interface Internals {
  parquetHeader: (reader: DataReader) => PageHeader;
  readDataPage: (bytes: Uint8Array, daph: DataPageHeader, decoder: Decoder) => Page;
  readDataPageV2: (bytes: Uint8Array, header: PageHeader, decoder: Decoder) => Page;
  decompressPage: (bytes: Uint8Array, size: number, codec: ColumnMetaData['codec'], c: undefined) => Uint8Array;
  readPlain: (reader: DataReader, type: ColumnMetaData['type'], count: number, length?: number) => ArrayLike<unknown>;
}
interface Page {
  definitionLevels?: ArrayLike<number>;
  repetitionLevels: ArrayLike<number>;
  dataPage: ArrayLike<unknown>;
}
type Decoder = Record<string, unknown>;

let loaded: Promise<Internals> | undefined;
/** hyparquet's page functions, loaded once (the package ships ES modules only). */
export function parquetInternals(): Promise<Internals> {
  loaded ??= (async () => {
    const [column, datapage, plain] = await Promise.all([
      import('hyparquet/src/column.js'),
      import('hyparquet/src/datapage.js'),
      import('hyparquet/src/plain.js'),
    ]);
    return { ...column, ...datapage, ...plain } as unknown as Internals;
  })();
  return loaded;
}

/** Definition level of a present leaf value: one per optional or repeated node under the root. */
export function maxDefinition(path: SchemaTree[]): number {
  return path.slice(1).filter((n) => n.element.repetition_type !== 'REQUIRED').length;
}

/**
 * Reads one column chunk whole. `path` is the schema path from the root to the leaf.
 * @throws Error on a page hyparquet cannot decode (the caller names the file).
 */
export function readChunk(h: Internals, file: ArrayBuffer, path: SchemaTree[], meta: ColumnMetaData): RawChunk {
  const dictOffset = meta.dictionary_page_offset ? Number(meta.dictionary_page_offset) : Infinity;
  const start = Math.min(dictOffset, Number(meta.data_page_offset));
  const size = Number(meta.total_compressed_size);
  const reader: DataReader = { view: new DataView(file, start, size), offset: 0 };
  const leaf = path[path.length - 1]!.element;
  const decoder: Decoder = { type: meta.type, element: leaf, schemaPath: path, codec: meta.codec };
  // Text is decoded straight from the page's bytes through one Buffer view per page buffer.
  let bytesOf: ArrayBufferLike | undefined;
  let text: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  const slots = Number(meta.num_values);
  const maxDef = maxDefinition(path);
  const list = path.some((n) => n.element.repetition_type === 'REPEATED');
  const out: RawChunk = { codes: new Int32Array(slots), values: [] };
  if (list) Object.assign(out, { def: new Uint8Array(slots), rep: new Uint8Array(slots) });
  /** Appends decoded values; byte arrays of text become strings, decoded from the file's bytes. */
  const push = (values: ArrayLike<unknown>) => {
    const utf8 = leaf.converted_type === 'UTF8' || leaf.logical_type?.type === 'STRING';
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (utf8 && v instanceof Uint8Array) {
        if (v.buffer !== bytesOf) text = Buffer.from((bytesOf = v.buffer));
        out.values.push(text.toString('utf8', v.byteOffset, v.byteOffset + v.length));
      } else out.values.push(v);
    }
  };
  let dictBase = -1;
  let slot = 0;
  while (reader.offset < size && slot < slots) {
    const header = h.parquetHeader(reader);
    const bytes = new Uint8Array(file, start + reader.offset, header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    const usize = Number(header.uncompressed_page_size);
    if (header.type === 'DICTIONARY_PAGE') {
      const page = h.decompressPage(bytes, usize, meta.codec, undefined);
      const view = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
      dictBase = out.values.length;
      push(h.readPlain(view, meta.type, header.dictionary_page_header!.num_values, leaf.type_length));
      continue;
    }
    let page: Page;
    let encoding: string;
    if (header.type === 'DATA_PAGE') {
      const daph = header.data_page_header!;
      page = h.readDataPage(h.decompressPage(bytes, usize, meta.codec, undefined), daph, decoder);
      encoding = daph.encoding;
    } else if (header.type === 'DATA_PAGE_V2') {
      page = h.readDataPageV2(bytes, header, decoder);
      encoding = header.data_page_header_v2!.encoding;
    } else continue; // index pages carry no values
    const dictionary = encoding.endsWith('_DICTIONARY');
    if (dictionary && dictBase < 0)
      throw new Error(`column ${leaf.name}: dictionary-encoded page without a dictionary`);
    const base = dictionary ? dictBase : out.values.length;
    if (!dictionary) push(page.dataPage);
    const defs = page.definitionLevels?.length ? page.definitionLevels : undefined;
    const n = page.repetitionLevels.length || defs?.length || page.dataPage.length;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const present = defs === undefined || defs[i] === maxDef;
      out.codes[slot + i] = present ? base + (dictionary ? (page.dataPage[k++] as number) : k++) : -1;
    }
    if (out.def && out.rep) {
      for (let i = 0; i < n; i++) {
        out.def[slot + i] = defs === undefined ? maxDef : defs[i]!;
        out.rep[slot + i] = page.repetitionLevels[i] ?? 0;
      }
    }
    slot += n;
  }
  if (slot !== slots) throw new Error(`column ${leaf.name}: read ${slot} values, the chunk declares ${slots}`);
  return out;
}
