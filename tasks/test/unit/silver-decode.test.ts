import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parquetMetadata, parquetReadObjects, parquetSchema, type AsyncBuffer } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { InputRejectedError } from '../../src/errors';
import { STAGED_COLUMNS } from '../../src/warehouse/silver/contract';
import { emptySummary, newDayMembers, readSilverFile } from '../../src/warehouse/silver/reader';
import { centsOf } from '../../src/warehouse/silver/columns';
import type { SilverValues } from '../../src/warehouse/silver/decode/column';
import { readHybrid } from '../../src/warehouse/silver/decode/hybrid';
import { CompactReader } from '../../src/warehouse/silver/decode/thrift';
import { rowGroups } from '../../src/warehouse/silver/parquet';
import { fixtureBuffer, fixtures } from './fixture-buffer';
import { prng } from './prng';

const NAMES = STAGED_COLUMNS.map((c) => c.name);

/** Row r of a decoded column as a plain value: text, number (decimals in cents), list of texts, or null. */
function valueAt(v: SilverValues, r: number): unknown {
  if (v.kind === 'text') return v.codes[r]! < 0 ? null : v.dict[v.codes[r]!];
  if (v.kind === 'number') return v.nulls[r] ? null : v.values[r];
  if (v.kind === 'bytes')
    return v.lengths[r]! < 0
      ? null
      : Buffer.from(v.heap.buffer, v.heap.byteOffset, v.heap.length).toString(
          'utf8',
          v.starts[r],
          v.starts[r]! + v.lengths[r]!,
        );
  if (v.nulls[r]) return null;
  return Array.from(v.codes.subarray(v.offsets[r], v.offsets[r + 1]), (c) => (c < 0 ? null : v.dict[c]));
}

/** Every staged column of a file through our page decoder, row by row, and how many chunks fell back. */
async function ours(file: string) {
  const b = fixtureBuffer(file);
  const stats = { fallbackChunks: 0 };
  const rows: Record<string, unknown>[] = [];
  // The order id as the loader reads it: UTF-8 bytes, not strings.
  for await (const w of rowGroups(b, parquetMetadata(await b.slice(0)), NAMES, stats, new Set(['order_id'])))
    for (let r = 0; r < w.length; r++)
      rows.push(Object.fromEntries(NAMES.map((n) => [n, valueAt(w.columns.get(n)!, r)])));
  return { rows, fallbackChunks: stats.fallbackChunks };
}

/** The same through hyparquet's parquetReadObjects: the reference. */
async function reference(file: string) {
  const b = fixtureBuffer(file);
  const metadata = parquetMetadata(await b.slice(0));
  const decimal = new Set(
    parquetSchema(metadata)
      .children.filter((c) => c.element.converted_type === 'DECIMAL')
      .map((c) => c.element.name),
  );
  const objects = await parquetReadObjects({
    file: b,
    metadata,
    columns: NAMES,
    compressors,
    parsers: { dateFromDays: (d: number) => d },
  });
  return objects.map((o) =>
    Object.fromEntries(
      NAMES.map((n) => {
        const v = o[n];
        if (v === null || v === undefined) return [n, null];
        if (decimal.has(n)) return [n, centsOf(Number(v))];
        return [n, typeof v === 'boolean' ? Number(v) : v];
      }),
    ),
  );
}

describe('silver page decoder', () => {
  it.each([
    ['silver-unit-2022-04-30/part-00000-fixture.snappy.parquet', 0],
    ['silver-encodings/dictionary-v1.parquet', 0],
    ['silver-encodings/plain-v2-int-decimals.parquet', 0],
    ['silver-encodings/required-uncompressed.parquet', 0],
  ])('reads %s exactly as hyparquet does, without falling back', async (file, fallbacks) => {
    const got = await ours(file);
    expect(got.rows).toEqual(await reference(file));
    expect(got.rows.length).toBeGreaterThan(0);
    expect(got.fallbackChunks).toBe(fallbacks);
  });

  it.each(['silver-encodings/dictionary-v1.parquet', 'silver-encodings/plain-v2-int-decimals.parquet'])(
    'gives each row group of %s its own staged arrays, unchanged by the groups read after it',
    async (file) => {
      // The decoder reuses its arrays from group to group: a staged batch must never share them.
      const partition = { dataset: 'unit', dt: '2022-04-30' };
      const snapshot = (b: object) =>
        JSON.stringify(b, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v));
      const kept: object[] = [];
      const seen: string[] = [];
      for await (const b of readSilverFile(file, fixtureBuffer(file), partition, emptySummary(), newDayMembers())) {
        kept.push(b);
        seen.push(snapshot(b));
      }
      expect(kept.length).toBeGreaterThan(1);
      expect(kept.map(snapshot)).toEqual(seen);
    },
  );

  it('leaves chunks in other encodings (DELTA_*) to hyparquet, with the same result', async () => {
    const file = 'silver-encodings/delta-fallback.parquet';
    const got = await ours(file);
    const groups = parquetMetadata(await fixtureBuffer(file).slice(0)).row_groups.length;
    // order_id, sku and qty in every row group.
    expect(got.fallbackChunks).toBe(3 * groups);
    expect(got.rows).toEqual(await reference(file));
  });

  it.each(['silver-encodings/required-uncompressed.parquet', 'silver-encodings/dictionary-v1.parquet'])(
    'reads %s with damaged pages to the end or refuses it naming the file, never another error',
    async (file) => {
      const whole = readFileSync(path.join(fixtures, file));
      // Pages lie between the leading magic and the footer (its length sits before the trailing magic).
      const pagesEnd = whole.length - 8 - whole.readUInt32LE(whole.length - 8);
      const random = prng(2024);
      const outcomes = { read: 0, refused: 0 };
      for (let trial = 0; trial < 200; trial++) {
        const bytes = Buffer.from(whole);
        for (let k = 1 + Math.floor(random() * 3); k > 0; k--)
          bytes[4 + Math.floor(random() * (pagesEnd - 4))] = Math.floor(random() * 256);
        const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        const damaged: AsyncBuffer = { byteLength: ab.byteLength, slice: async (s, e) => ab.slice(s, e) };
        const partition = { dataset: 'unit', dt: '2022-04-30' };
        try {
          for await (const b of readSilverFile('damaged.parquet', damaged, partition, emptySummary(), newDayMembers()))
            expect(b.length).toBeGreaterThan(0);
          outcomes.read++;
        } catch (error) {
          expect(error).toBeInstanceOf(InputRejectedError);
          expect((error as Error).message).toContain('silver file damaged.parquet');
          outcomes.refused++;
        }
      }
      // Both happen: some damage lands in values (read), some in headers and levels (refused).
      expect(outcomes.read).toBeGreaterThan(0);
      expect(outcomes.refused).toBeGreaterThan(0);
    },
  );

  it('decodes the RLE / bit-packing hybrid as the spec writes it', () => {
    // Encodings.md: 0..7 bit-packed at width 3 is 10001000 11000110 11111010, after header 0x03.
    const out = new Int32Array(8);
    readHybrid({ bytes: Uint8Array.of(0x03, 0x88, 0xc6, 0xfa), pos: 0 }, 4, 3, 8, out);
    expect(Array.from(out)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // A run of 300 copies of 0x1234 at width 13 (two bytes), then 3 bit-packed values of width 13.
    const run = new Int32Array(300);
    readHybrid({ bytes: Uint8Array.of(0xd8, 0x04, 0x34, 0x12), pos: 0 }, 4, 13, 300, run);
    expect(new Set(run)).toEqual(new Set([0x1234]));
    const packed = new Int32Array(3);
    const bytes = new Uint8Array(1 + 13);
    bytes[0] = 0x03;
    // 8191, 1, 4096 at 13 bits each, least significant bit first.
    let bits = 8191n | (1n << 13n) | (4096n << 26n);
    for (let i = 1; i < bytes.length; i++, bits >>= 8n) bytes[i] = Number(bits & 0xffn);
    readHybrid({ bytes, pos: 0 }, bytes.length, 13, 3, packed);
    expect(Array.from(packed)).toEqual([8191, 1, 4096]);
  });

  it('decodes bit-packed runs of every width from 1 to 32 bits', () => {
    const random = prng(7);
    for (let width = 1; width <= 32; width++) {
      const values = Array.from({ length: 24 }, () => Math.floor(random() * 2 ** width));
      // Three groups of eight, least significant bit first, after the header (3 << 1) | 1.
      const bytes = new Uint8Array(1 + 3 * width);
      bytes[0] = 0x07;
      values.forEach((v, i) => {
        for (let b = 0; b < width; b++) {
          const bit = i * width + b;
          if (Math.floor(v / 2 ** b) % 2) bytes[1 + (bit >> 3)]! |= 1 << (bit & 7);
        }
      });
      const out = new Int32Array(24);
      readHybrid({ bytes, pos: 0 }, bytes.length, width, 24, out);
      expect({ width, got: Array.from(out, (v) => v >>> 0) }).toEqual({ width, got: values });
    }
  });

  it('decodes long bit-packed runs at any offset, to the last value of the buffer', () => {
    // Whole words for most values, byte by byte for the last ones (width 1: eight values a byte):
    // every width up to 24, runs starting 0 to 5 bytes into the buffer and ending exactly at its
    // end, a random count taken.
    const random = prng(11);
    for (let width = 1; width <= 24; width++) {
      for (const lead of [0, 1, 2, 3, 5]) {
        const groups = 1 + Math.floor(random() * 40);
        const values = Array.from({ length: groups * 8 }, () => Math.floor(random() * 2 ** width));
        // The header (groups << 1) | 1 fits one varint byte for up to 63 groups.
        const bytes = new Uint8Array(lead + 1 + groups * width);
        bytes[lead] = (groups << 1) | 1;
        values.forEach((v, i) => {
          for (let b = 0; b < width; b++) {
            const bit = i * width + b;
            if (Math.floor(v / 2 ** b) % 2) bytes[lead + 1 + (bit >> 3)]! |= 1 << (bit & 7);
          }
        });
        const take = values.length - Math.floor(random() * 8);
        const out = new Int32Array(take);
        // The count of one value (definition levels: the present slots) comes back with them.
        const target = values[0]!;
        const hits = readHybrid({ bytes, pos: lead }, bytes.length, width, take, out, target);
        expect({ width, lead, got: Array.from(out) }).toEqual({ width, lead, got: values.slice(0, take) });
        expect(hits).toBe(values.slice(0, take).filter((v) => v === target).length);
      }
    }
  });

  it('refuses a run that reaches past its section instead of reading other bytes', () => {
    expect(() => readHybrid({ bytes: Uint8Array.of(0x05, 0x88), pos: 0 }, 2, 3, 16, new Int32Array(16))).toThrow(
      /past its section/,
    );
  });

  it('reads a compact-protocol struct and skips the fields it does not know', () => {
    // {1: i32 -3, 2: binary "ab", 5: struct {1: true}, 6: list<i32> [1, 2]}, stop.
    const bytes = Uint8Array.of(0x15, 0x05, 0x18, 0x02, 0x61, 0x62, 0x3c, 0x11, 0x00, 0x19, 0x25, 0x02, 0x04, 0x00);
    const s = new CompactReader(bytes).struct();
    expect(s.get(1)).toBe(-3);
    expect(Buffer.from(s.get(2) as Uint8Array).toString()).toBe('ab');
    expect((s.get(5) as Map<number, unknown>).get(1)).toBe(true);
    expect(s.get(6)).toEqual([1, 2]);
  });
});
