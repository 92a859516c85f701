import type { CompressionCodec } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { bitWidth, type Cursor, readHybrid, readPlainBooleans } from './hybrid';
import { CompactReader, type ThriftStruct } from './thrift';

/**
 * The pages of one column chunk, as levels and values: dictionary pages become the chunk's
 * dictionary, data pages (v1 and v2) their definition and repetition levels and either indices
 * into that dictionary or PLAIN values. Anything else (another value encoding, BIT_PACKED levels,
 * an unknown codec) is `Unsupported`, and the caller decodes the chunk another way.
 * Spec: parquet-format's README.md (pages) and Encodings.md.
 */

export class Unsupported extends Error {}

/** How one leaf's values are stored and what they mean. */
export interface Leaf {
  type: string;
  typeLength: number;
  /**
   * 'text' (UTF-8, as strings), 'bytes' (UTF-8 kept as bytes: a text of mostly distinct values the
   * loader copies as it is), 'decimal' (unscaled integer), 'number' (ints, dates, booleans).
   */
  kind: 'text' | 'bytes' | 'decimal' | 'number';
  maxDef: number;
  maxRep: number;
}

/**
 * Values of one chunk: texts as codes into `dict`, numbers as numbers (decimals unscaled), bytes
 * as where they start in `heap` (values) and how long they are (`lengths`).
 */
export interface ChunkSink {
  dict: string[];
  heap: ByteHeap;
  lengths: Int32Array;
  /** Slot by slot (nulls and empty lists included): levels; present values in order. */
  defs: Int32Array;
  reps: Int32Array;
  values: Float64Array | Int32Array;
  slots: number;
  present: number;
}

/** The bytes values of a chunk, one after the other. */
export interface ByteHeap {
  bytes: Uint8Array;
  used: number;
}

function append(heap: ByteHeap, from: Uint8Array, at: number, length: number): number {
  const start = heap.used;
  if (start + length > heap.bytes.length) {
    const grown = new Uint8Array(Math.max(heap.bytes.length * 2, start + length, 1 << 12));
    grown.set(heap.bytes.subarray(0, start));
    heap.bytes = grown;
  }
  heap.bytes.set(from.subarray(at, at + length), start);
  heap.used = start + length;
  return start;
}

const INT = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** Largest page the decoder inflates: writers make pages of about 1 MiB; a bigger size is damage. */
const MAX_PAGE_BYTES = 128 << 20;

function decompress(codec: CompressionCodec, input: Uint8Array, size: number): Uint8Array {
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_BYTES)
    throw new Error(`page header gives ${size} bytes uncompressed, more than the ${MAX_PAGE_BYTES} the loader reads`);
  if (codec === 'UNCOMPRESSED') return input;
  const inflate = (compressors as Record<string, ((i: Uint8Array, n: number) => Uint8Array) | undefined>)[codec];
  if (!inflate) throw new Unsupported(`codec ${codec}`);
  const out = inflate(input, size);
  if (out.length !== size) throw new Error(`${codec} page inflated to ${out.length} bytes, its header says ${size}`);
  return out;
}

/**
 * PLAIN values of a leaf, from c.pos; texts go into dict (their codes into out), bytes into the
 * heap (their starts into out, their lengths into `lengths`), numbers into out.
 */
function readPlain(
  leaf: Leaf,
  c: Cursor,
  end: number,
  count: number,
  sink: ChunkSink,
  out: Float64Array | Int32Array,
  at: number,
  lengths: Int32Array = sink.lengths,
) {
  // Bytes are always BYTE_ARRAY: only a text leaf is read as bytes (parquet.ts).
  if (leaf.kind === 'bytes') return readPlainBytes(c, end, count, sink.heap, out, at, lengths);
  const view = INT(c.bytes);
  const buffer = Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength);
  const need = (n: number) => {
    if (c.pos + n > end) throw new Error('PLAIN values run past their page');
  };
  for (let i = 0; i < count; i++) {
    switch (leaf.type) {
      case 'INT32':
        need(4);
        out[at + i] = view.getInt32(c.pos, true);
        c.pos += 4;
        break;
      case 'INT64':
        need(8);
        out[at + i] = view.getInt32(c.pos + 4, true) * 4294967296 + view.getUint32(c.pos, true);
        c.pos += 8;
        break;
      case 'BYTE_ARRAY':
      case 'FIXED_LEN_BYTE_ARRAY': {
        let length = leaf.typeLength;
        if (leaf.type === 'BYTE_ARRAY') {
          need(4);
          length = view.getUint32(c.pos, true);
          c.pos += 4;
        }
        need(length);
        if (leaf.kind === 'text') {
          out[at + i] = sink.dict.length;
          sink.dict.push(buffer.toString('utf8', c.pos, c.pos + length));
        } else out[at + i] = bigEndian(c.bytes, c.pos, length);
        c.pos += length;
        break;
      }
      default:
        throw new Unsupported(`PLAIN ${leaf.type}`);
    }
  }
}

/**
 * PLAIN byte arrays kept as bytes: the page's run of values (each a 4-byte length, then its bytes)
 * is copied into the heap whole, and each value's start is where its bytes sit there (the lengths
 * between them are never read again). One copy of the page instead of one a value.
 */
function readPlainBytes(
  c: Cursor,
  end: number,
  count: number,
  heap: ByteHeap,
  out: Float64Array | Int32Array,
  at: number,
  lengths: Int32Array,
) {
  const b = c.bytes;
  const from = c.pos;
  const base = heap.used - from;
  let pos = from;
  for (let i = 0; i < count; i++) {
    if (pos + 4 > end) throw new Error('PLAIN values run past their page');
    const length = (b[pos]! | (b[pos + 1]! << 8) | (b[pos + 2]! << 16) | (b[pos + 3]! << 24)) >>> 0;
    pos += 4;
    if (length > end - pos) throw new Error('PLAIN values run past their page');
    out[at + i] = base + pos;
    lengths[at + i] = length;
    pos += length;
  }
  append(heap, b, from, pos - from);
  c.pos = pos;
}

/** A two's-complement big-endian integer (a decimal's unscaled value); exact up to 6 bytes. */
function bigEndian(b: Uint8Array, at: number, length: number): number {
  if (length > 6) throw new Unsupported(`decimal of ${length} bytes`);
  if (length === 0) return 0;
  let v = (b[at]! << 24) >> 24;
  for (let i = 1; i < length; i++) v = v * 256 + b[at + i]!;
  return v;
}

/**
 * A chunk's dictionary: texts are appended to the chunk's strings from `base` on (an index is
 * base + index), bytes to its heap (`starts`, `lengths`), numbers are kept in `numbers`.
 */
interface Dictionary {
  base: number;
  size: number;
  numbers: Float64Array | null;
  starts?: Int32Array;
  lengths?: Int32Array;
}

function dictionaryPage(leaf: Leaf, page: ThriftStruct, data: Uint8Array, sink: ChunkSink): Dictionary {
  const header = page.get(7) as ThriftStruct;
  const count = header.get(1) as number;
  const encoding = header.get(2) as number;
  if (encoding !== 0 && encoding !== 2) throw new Unsupported(`dictionary encoding ${encoding}`);
  // Every PLAIN value takes at least a byte (booleans are never dictionary-encoded).
  if (!Number.isInteger(count) || count < 0 || count > data.length)
    throw new Error(`dictionary page says ${count} values in ${data.length} bytes`);
  const base = sink.dict.length;
  if (leaf.kind === 'bytes') {
    const starts = new Int32Array(count);
    const lengths = new Int32Array(count);
    readPlain(leaf, { bytes: data, pos: 0 }, data.length, count, sink, starts, 0, lengths);
    return { base, size: count, numbers: null, starts, lengths };
  }
  const values = leaf.kind === 'text' ? new Int32Array(count) : new Float64Array(count);
  readPlain(leaf, { bytes: data, pos: 0 }, data.length, count, sink, values, 0);
  return { base, size: count, numbers: leaf.kind === 'text' ? null : (values as Float64Array) };
}

const u32 = (c: Cursor, end: number) => {
  if (c.pos + 4 > end) throw new Error('level section length runs past its page');
  const b = c.bytes;
  const n = (b[c.pos]! | (b[c.pos + 1]! << 8) | (b[c.pos + 2]! << 16) | (b[c.pos + 3]! << 24)) >>> 0;
  c.pos += 4;
  return n;
};

/** Levels of `count` slots into out[at..), in a section c.pos..end; how many are `max`. */
function levels(c: Cursor, end: number, max: number, count: number, out: Int32Array, at: number): number {
  if (max === 0) return count;
  return readHybrid(c, end, bitWidth(max), count, out.subarray(at, at + count), max);
}

/** The values of a data page's present slots (PLAIN or dictionary indices), into sink.values. */
function pageValues(
  leaf: Leaf,
  encoding: number,
  c: Cursor,
  end: number,
  count: number,
  sink: ChunkSink,
  dict: Dictionary | null,
) {
  const out = sink.values;
  const at = sink.present;
  if (encoding === 0) {
    if (leaf.type === 'BOOLEAN') {
      const bits = new Int32Array(count);
      readPlainBooleans(c, end, count, bits);
      for (let i = 0; i < count; i++) out[at + i] = bits[i]!;
    } else readPlain(leaf, c, end, count, sink, out, at);
  } else if (encoding === 2 || encoding === 8) {
    if (!dict) throw new Error('dictionary-encoded page without a dictionary page');
    if (c.pos >= end) throw new Error('dictionary page indices missing');
    const width = c.bytes[c.pos++]!;
    const { base, size, numbers, starts, lengths } = dict;
    const bad = (i: number) => new Error(`dictionary index ${i} past the dictionary's ${size} values`);
    if (starts && lengths) {
      // Bytes: each index gives the start and length of its value in the chunk's heap.
      const indices = new Int32Array(count);
      readHybrid(c, end, width, count, indices);
      for (let i = 0; i < count; i++) {
        const v = indices[i]!;
        if (v >= size) throw bad(v);
        out[at + i] = starts[v]!;
        sink.lengths[at + i] = lengths[v]!;
      }
    } else if (!numbers && out instanceof Int32Array) {
      // Text: the indices are the codes, offset by where this dictionary's strings start.
      const codes = out.subarray(at, at + count);
      readHybrid(c, end, width, count, codes);
      for (let i = 0; i < count; i++) {
        const v = codes[i]!;
        if (v >= size) throw bad(v);
        codes[i] = v + base;
      }
    } else {
      const indices = new Int32Array(count);
      readHybrid(c, end, width, count, indices);
      for (let i = 0; i < count; i++) {
        const v = numbers![indices[i]!];
        if (v === undefined) throw bad(indices[i]!);
        out[at + i] = v;
      }
    }
  } else if (encoding === 3 && leaf.type === 'BOOLEAN') {
    const length = u32(c, end);
    const bits = new Int32Array(count);
    readHybrid(c, Math.min(end, c.pos + length), 1, count, bits);
    for (let i = 0; i < count; i++) out[at + i] = bits[i]!;
  } else throw new Unsupported(`value encoding ${encoding} of ${leaf.type}`);
  sink.present += count;
}

/** A data page's value count, checked against what the chunk has left. */
function pageCount(count: unknown, sink: ChunkSink, slots: number): number {
  if (!Number.isInteger(count) || (count as number) < 0 || sink.slots + (count as number) > slots)
    throw new Error(`a data page says ${String(count)} values; the column chunk has ${slots - sink.slots} left`);
  return count as number;
}

/**
 * Arrays a column's chunks are decoded into, kept from one row group to the next: a row group's
 * levels and values are read once, into the group's staged lines, before the next group decodes.
 * Fresh arrays a group (a few hundred MB a million lines) made the garbage collector run for the
 * memory outside its heap.
 */
export class ChunkScratch {
  private readonly ints = new Map<string, Int32Array>();
  private readonly floats = new Map<string, Float64Array>();

  /** A view of n ints under `name`, holding whatever the last group left there. */
  int32(name: string, n: number): Int32Array {
    let a = this.ints.get(name);
    if (!a || a.length < n) this.ints.set(name, (a = new Int32Array(n)));
    return a.subarray(0, n);
  }

  float64(name: string, n: number): Float64Array {
    let a = this.floats.get(name);
    if (!a || a.length < n) this.floats.set(name, (a = new Float64Array(n)));
    return a.subarray(0, n);
  }
}

/**
 * Decodes every page of a column chunk (its bytes from its first page to its end) into a sink
 * sized for `slots` level slots (the chunk's num_values). With `scratch`, the sink's arrays are
 * the column's scratch arrays: the caller is done with them before it reads the next chunk.
 */
export function readChunk(
  leaf: Leaf,
  codec: CompressionCodec,
  bytes: Uint8Array,
  slots: number,
  scratch?: { arrays: ChunkScratch; column: string },
): ChunkSink {
  const ints = (role: string, n: number) =>
    scratch ? scratch.arrays.int32(`${scratch.column}:${role}`, n) : new Int32Array(n);
  // Bytes values stay the lines' own (their heap, starts and lengths): new arrays each chunk.
  const bytesKind = leaf.kind === 'bytes';
  const sink: ChunkSink = {
    dict: [],
    heap: { bytes: new Uint8Array(bytesKind ? Math.min(bytes.length * 2, 64 << 20) : 0), used: 0 },
    lengths: new Int32Array(bytesKind ? slots : 0),
    defs: ints('defs', leaf.maxDef ? slots : 0),
    reps: ints('reps', leaf.maxRep ? slots : 0),
    values: bytesKind
      ? new Int32Array(slots)
      : leaf.kind === 'text'
        ? ints('values', slots)
        : scratch
          ? scratch.arrays.float64(`${scratch.column}:values`, slots)
          : new Float64Array(slots),
    slots: 0,
    present: 0,
  };
  let dict: Dictionary | null = null;
  const reader = new CompactReader(bytes);
  while (reader.pos < bytes.length && sink.slots < slots) {
    const page = reader.struct();
    const type = page.get(1) as number;
    const size = page.get(2) as number;
    const stored = page.get(3) as number;
    const body = bytes.subarray(reader.pos, reader.pos + stored);
    if (body.length !== stored) throw new Error('page runs past the end of its column chunk');
    reader.pos += stored;
    if (type === 2) dict = dictionaryPage(leaf, page, decompress(codec, body, size), sink);
    else if (type === 0) {
      const header = page.get(5) as ThriftStruct;
      const count = pageCount(header.get(1), sink, slots);
      if ((leaf.maxDef && header.get(3) !== 3) || (leaf.maxRep && header.get(4) !== 3))
        throw new Unsupported('levels not RLE-encoded');
      const data = decompress(codec, body, size);
      const c = { bytes: data, pos: 0 };
      // Present slots: those whose definition level is the leaf's maximum (all without levels).
      let present = count;
      for (const [max, out] of [
        [leaf.maxRep, sink.reps],
        [leaf.maxDef, sink.defs],
      ] as const)
        if (max) {
          const length = u32(c, data.length);
          const end = c.pos + length;
          const hits = levels(c, end, max, count, out, sink.slots);
          if (out === sink.defs) present = hits;
          c.pos = end;
        }
      pageValues(leaf, header.get(2) as number, c, data.length, present, sink, dict);
      sink.slots += count;
    } else if (type === 3) {
      const header = page.get(8) as ThriftStruct;
      const count = pageCount(header.get(1), sink, slots);
      const defBytes = header.get(5) as number;
      const repBytes = header.get(6) as number;
      const c = { bytes: body, pos: 0 };
      levels(c, repBytes, leaf.maxRep, count, sink.reps, sink.slots);
      c.pos = repBytes;
      const present = levels(c, repBytes + defBytes, leaf.maxDef, count, sink.defs, sink.slots);
      const rest = body.subarray(repBytes + defBytes);
      const compressed = header.get(7) !== false;
      const data = compressed ? decompress(codec, rest, size - repBytes - defBytes) : rest;
      pageValues(leaf, header.get(4) as number, { bytes: data, pos: 0 }, data.length, present, sink, dict);
      sink.slots += count;
    } // index pages (1) carry nothing we read
  }
  if (sink.slots !== slots) throw new Error(`column chunk holds ${sink.slots} values, its metadata says ${slots}`);
  return sink;
}
