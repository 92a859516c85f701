import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parquetMetadata, type AsyncBuffer, type SchemaTree } from 'hyparquet';
import type { S3Client } from '@aws-sdk/client-s3';
import { InputRejectedError, InterruptedError } from '../../src/errors';
import { reconcile, type FactCheck } from '../../src/warehouse/load/reconcile';
import { Columns, textAt } from '../../src/warehouse/silver/columns';
import { Members } from '../../src/warehouse/members';
import { prng } from './prng';
import { SILVER_COLUMNS, checkSilverSchema } from '../../src/warehouse/silver/contract';
import { silverBuffer } from '../../src/warehouse/silver/source';
import {
  emptySummary,
  newDayMembers,
  FOOTER_READ,
  readSilverFile,
  type DayMembers,
  type StagedBatch,
} from '../../src/warehouse/silver/reader';

const fixtures = path.join(__dirname, '..', 'fixtures');
const bytesOf = (file: string) => {
  const b = readFileSync(path.join(fixtures, file));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
/** A file as the reader sees an S3 object: slices only, each one recorded as [start, end). */
const parquet = (file: string, slices: [number, number][] = []): AsyncBuffer => {
  const bytes = bytesOf(file);
  return {
    byteLength: bytes.byteLength,
    slice: async (start, end = bytes.byteLength) => {
      slices.push([start, end]);
      return bytes.slice(start, end);
    },
  };
};

async function readAll(
  file = 'silver-unit-2022-04-30/part-00000-fixture.snappy.parquet',
  dataset = 'unit',
  slices: [number, number][] = [],
) {
  const summary = emptySummary();
  const members = newDayMembers();
  const batches: StagedBatch[] = [];
  const partition = { dataset, dt: '2022-04-30' };
  const buffer = parquet(file, slices);
  for await (const b of readSilverFile('part-00000', buffer, partition, summary, members, { ordered: true }))
    batches.push(b);
  return { summary, members, batches };
}

/** Every line with its members spelled out: what the warehouse would get, whatever the numbering. */
function lines(batches: StagedBatch[], m: DayMembers) {
  const rows = (x: { rows: () => (string | null)[][] }) => new Map(x.rows().map((r) => [r[0], r.slice(1)]));
  const [products, locations, fulfilments, statuses, lists] = [
    m.products,
    m.locations,
    m.fulfilments,
    m.statuses,
    m.promotions,
  ].map(rows);
  return batches.flatMap((b) =>
    Array.from({ length: b.length }, (_, r) => ({
      orderId: textAt(b.orderId, r),
      product: products!.get(String(b.product[r])),
      location: locations!.get(String(b.location[r])) ?? 'unknown',
      fulfilment: fulfilments!.get(String(b.fulfilment[r])) ?? 'unknown',
      status: statuses!.get(String(b.status[r])),
      promotions: lists!.get(String(b.promotionList[r])) ?? 'none',
      numbers: [b.qty[r], b.promoCount[r], b.amount[r], b.gross[r], b.realised[r], b.lost[r]],
      flags: [b.b2b[r], b.isNonAmazon[r], b.isCancelled[r]],
    })),
  );
}

describe('silver reader', () => {
  it('reads pyarrow-written silver exactly: cents, flags, numbered members, promotion lists', async () => {
    const { summary, members, batches } = await readAll();
    expect(batches).toHaveLength(1);
    const b = batches[0]!;
    expect(Array.from(b.amount)).toEqual([64762, NaN, 5]);
    expect(Array.from(b.isCancelled)).toEqual([0, 1, 0]);
    // Lines carry the number of their promotion list; each distinct list is kept once.
    expect(Array.from(b.promotionList)).toEqual([1, 0, 0]);
    expect(members.promotions.rows()).toEqual([
      ['1', '{"VPC-1","IN Core Free Shipping 2015/04/08 23-48-5-108","VPC-1"}'],
    ]);
    expect(members.promotions.sizes).toEqual([0, 2]);
    expect(summary).toEqual({
      files: 1,
      rows: 3,
      amountCents: 64767n,
      grossCents: 64767n,
      realisedCents: 64767n,
      lostCents: 0n,
      qty: 4,
      promotionPairs: 2,
    });
  });

  it('reads the same lines whatever the encoding: dictionary or plain, page v1 or v2, decimal bytes or integers', async () => {
    const variants = ['dictionary-v1', 'plain-v2-int-decimals', 'required-uncompressed'];
    const read = await Promise.all(variants.map((v) => readAll(`silver-encodings/${v}.parquet`)));
    const [first, ...others] = read.map((x) => ({ lines: lines(x.batches, x.members), summary: x.summary }));
    for (const other of others) expect(other).toEqual(first);
    const all = first!.lines;
    expect(all).toHaveLength(40);
    // Lists split over pages and row groups; repeated ids are one member of the list's set.
    expect(all[2]!.promotions).toEqual(['{"VPC-2","VPC-1","VPC-1"}']);
    expect(all[0]!.promotions).toBe('none');
    expect(all[4]!.location).toBe('unknown');
    expect(all[5]!.fulfilment).toBe('unknown');
    // Line 7's order id sorts after every digit: the file holds it last (lines come in key order).
    expect(all[39]!.orderId).toBe('171-tab\there-back\\slash');
    expect(all[39]!.location).toEqual(['400081', 'THIRUVANANTHAPURAM — Kazhakkoottam', 'MAHARASHTRA', 'IN']);
    expect(all[7]!.numbers.slice(2)).toEqual([9999999999, 9999999999, 0, 0]);
    expect(all[3]!.numbers[2]).toBeNaN();
    expect(first!.summary.rows).toBe(40);
  });

  it('reads a part one row group at a time through ranged reads, never the whole part', async () => {
    const file = 'silver-encodings/dictionary-v1.parquet';
    const slices: [number, number][] = [];
    const read = await readAll(file, 'unit', slices);
    // The first read is the file's tail (the footer); every other lies inside one row group's chunks.
    const meta = parquetMetadata(bytesOf(file));
    const groups = meta.row_groups.map((g) => {
      const starts = g.columns.map((c) => Number(c.meta_data!.dictionary_page_offset || c.meta_data!.data_page_offset));
      const ends = g.columns.map((c, i) => starts[i]! + Number(c.meta_data!.total_compressed_size));
      return [Math.min(...starts), Math.max(...ends)] as const;
    });
    expect(groups.length).toBeGreaterThan(1);
    expect(read.batches.map((b) => b.length)).toEqual(meta.row_groups.map((g) => Number(g.num_rows)));
    const [footer, ...reads] = slices;
    expect(footer![1]).toBe(bytesOf(file).byteLength);
    expect(footer![1] - footer![0]).toBeLessThanOrEqual(FOOTER_READ);
    expect(reads.length).toBeGreaterThanOrEqual(groups.length);
    for (const [start, end] of reads) {
      const oneGroup = groups.some(([a, b]) => a <= start && end <= b);
      expect({ start, end, oneGroup }).toEqual({ start, end, oneGroup: true });
    }
  });

  it('refuses rows of another partition, naming file, row and column', async () => {
    await expect(readAll(undefined, 'other')).rejects.toThrow(
      'silver file part-00000 row 1 column dataset: is unit, the partition is other',
    );
  });

  it('takes order ids as UTF-8 bytes, refusing a null, bad UTF-8 or more than 32 characters by row', () => {
    const orderId = SILVER_COLUMNS.find((c) => c.name === 'order_id')!;
    // Values as raw bytes, bad sequences included.
    const ids = (texts: (string | Buffer | null)[]) => {
      const bytes = texts.map((t) => (t === null ? null : Buffer.from(t)));
      const lengths = Int32Array.from(bytes, (b) => (b ? b.length : -1));
      const starts = new Int32Array(bytes.length);
      for (let r = 1; r < bytes.length; r++) starts[r] = starts[r - 1]! + Math.max(0, lengths[r - 1]!);
      const heap = Buffer.concat(bytes.flatMap((b) => (b ? [b] : [])));
      return new Columns('part.parquet', 100, texts.length, () => ({ kind: 'bytes', heap, starts, lengths }));
    };
    // 30 characters in 33 bytes (three two-byte letters) is within varchar(32).
    const ok = ids(['171-8103182-4300000', `171-${'ü'.repeat(3)}${'9'.repeat(23)}`]).utf8(orderId);
    expect([textAt(ok, 0), textAt(ok, 1).length]).toEqual(['171-8103182-4300000', 30]);
    const refusal = (texts: (string | Buffer | null)[]) => {
      try {
        ids(texts).utf8(orderId);
      } catch (error) {
        expect(error).toBeInstanceOf(InputRejectedError);
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refusal(['a', null])).toBe(
      'silver file part.parquet row 102 column order_id: is null, the contract says not null',
    );
    expect(refusal(['a', 'b', Buffer.from([0x31, 0xc3, 0x28])])).toBe(
      'silver file part.parquet row 103 column order_id: is not valid UTF-8',
    );
    expect(refusal(['x'.repeat(33)])).toBe(
      'silver file part.parquet row 101 column order_id: is 33 characters, the warehouse takes 32',
    );
  });

  it.each([
    ['small dictionaries (one array of members by combined code)', 3],
    ['large dictionaries (value ids line by line)', 60],
  ])('numbers the members of a window with %s, refusing a null status by row', (_name, size) => {
    const named = (n: string) => SILVER_COLUMNS.find((c) => c.name === n)!;
    const cols = [named('status'), named('courier_status'), named('status_bucket')];
    const random = prng(size);
    const rows = Array.from({ length: 3000 }, () =>
      cols.map((c, k) => (k === 1 && random() < 0.1 ? null : `${c.name}-${Math.floor(random() * size)}`)),
    );
    // Each column's texts as a dictionary and codes, the decoder's form.
    const window = (lines: (string | null)[][]) =>
      new Columns('part.parquet', 0, lines.length, (name) => {
        const k = cols.findIndex((c) => c.name === name);
        const dict = [...new Set(lines.map((l) => l[k]).filter((v): v is string => v !== null))];
        return { kind: 'text', dict, codes: Int32Array.from(lines, (l) => (l[k] === null ? -1 : dict.indexOf(l[k]!))) };
      });
    const m = new Members(
      cols.map((c) => c.name),
      false,
    );
    const numbers = window(rows).members(m, cols);
    rows.forEach((line, r) => expect(m.member(numbers[r]!)).toEqual(line));
    expect(new Set(numbers).size).toBe(new Set(rows.map((l) => JSON.stringify(l))).size);
    // A later window numbers the members it shares with the first the same way.
    const again = window(rows.slice(0, 50).reverse()).members(m, cols);
    expect(Array.from(again)).toEqual(Array.from(numbers.subarray(0, 50)).reverse());
    // The whole window again (its dictionaries as large as before), two statuses nulled.
    const bad = rows.map((l) => [...l]);
    bad[6]![0] = null;
    bad[8]![0] = null;
    expect(() => window(bad).members(m, cols)).toThrow(
      'silver file part.parquet row 7 column status: is null, the contract says not null',
    );
  });

  it('refuses a schema with a missing, mistyped, extra or misplaced column', () => {
    const node = (name: string, element: object, children: SchemaTree[] = []) =>
      ({ element: { name, ...element }, children, count: 1, path: [name] }) as unknown as SchemaTree;
    const good = SILVER_COLUMNS.map((c) =>
      c.kind === 'strings'
        ? node(c.name, { converted_type: 'LIST' }, [
            node('list', {}, [node('element', { type: 'BYTE_ARRAY', converted_type: 'UTF8' })]),
          ])
        : node(
            c.name,
            {
              string: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
              date: { type: 'INT32', converted_type: 'DATE' },
              int: { type: 'INT32' },
              bigint: { type: 'INT64' },
              boolean: { type: 'BOOLEAN' },
              decimal: { type: 'INT64', converted_type: 'DECIMAL', precision: 12, scale: 2 },
            }[c.kind],
          ),
    );
    const root = (children: SchemaTree[]) => node('schema', {}, children);
    expect(() => checkSilverSchema('f', root(good), true)).not.toThrow();
    const broken = good
      .filter((n) => n.element.name !== 'qty')
      .map((n) => (n.element.name === 'amount' ? node('amount', { type: 'DOUBLE' }) : n));
    broken.push(node('surprise', { type: 'INT32' }));
    expect(() => checkSilverSchema('f', root(broken), false)).toThrow(InputRejectedError);
    expect(() => checkSilverSchema('f', root(broken), false)).toThrow(
      'silver file f does not follow the contract: column qty missing; column amount is DOUBLE, the contract says decimal; column surprise not in the contract',
    );
    const swapped = [good[1]!, good[0]!, ...good.slice(2)];
    expect(() => checkSilverSchema('f', root(swapped), false)).not.toThrow();
    expect(() => checkSilverSchema('f', root(swapped), true)).toThrow('column dt at position 1, not dataset');
  });
});

describe('reconciliation', () => {
  const manifest = {
    dataset: 'd',
    dt: '2022-04-30',
    silver_rows: 3,
    silver_amount_sum: '647.67',
    silver_realised_sum: 647.67,
    files: [],
  };
  const parquetSummary = {
    ...emptySummary(),
    files: 1,
    rows: 3,
    amountCents: 64767n,
    grossCents: 64767n,
    realisedCents: 64767n,
    qty: 4,
    promotionPairs: 2,
  };
  const fact: FactCheck = {
    stage_rows: '3',
    fact_rows: '3',
    amount_sum: '647.67',
    gross_sum: '647.67',
    realised_sum: '647.67',
    lost_sum: '0.00',
    qty_sum: '4',
    unknown_product: '0',
    unknown_location: '1',
    unknown_fulfilment: '0',
    unknown_status: '0',
    stage_no_location: '1',
    stage_no_fulfilment: '0',
    bridge_pairs: '2',
    key_mismatches: '0',
  };

  it('finds nothing when manifest, Parquet and fact agree', () => {
    expect(reconcile(manifest, parquetSummary, fact)).toEqual([]);
  });

  it('names every difference: rows, sums, bridge pairs, lines wrongly on an unknown member', () => {
    const diffs = reconcile({ ...manifest, silver_rows: 4 }, parquetSummary, {
      ...fact,
      amount_sum: '647.66',
      bridge_pairs: '1',
      unknown_location: '2',
      key_mismatches: '1',
    });
    expect(diffs).toEqual([
      'rows: manifest 4, parquet 3, stage 3, fact 3',
      'amount sum: manifest 647.67, parquet 647.67, fact 647.66',
      'line-promotion pairs: parquet 2, bridge 1',
      "members whose dimension key differs from the loader's: expected 0, dimension 1",
      'lines on the unknown location: stage without address 1, fact 2',
    ]);
  });
});

describe('silver S3 reads under a stop request', () => {
  /** An S3 client whose every call fails with `status`, or hangs until aborted when status is 0. */
  const store = (status: number) => {
    const calls = { n: 0 };
    const s3 = {
      send: (_command: unknown, options?: { abortSignal?: AbortSignal }) => {
        calls.n++;
        if (status)
          return Promise.reject(Object.assign(new Error('Slow Down'), { $metadata: { httpStatusCode: status } }));
        return new Promise((_resolve, reject) =>
          options?.abortSignal?.addEventListener('abort', () =>
            reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })),
          ),
        );
      },
    } as unknown as S3Client;
    return { s3, calls };
  };

  it('aborts a read in flight with the stop reason, without retrying it', async () => {
    const { s3, calls } = store(0);
    const stop = new AbortController();
    const read = silverBuffer(s3, 'b', 'k.parquet', 100, stop.signal).slice(0, 10);
    const reason = new InterruptedError('SIGTERM');
    stop.abort(reason);
    await expect(read).rejects.toBe(reason);
    expect(calls.n).toBe(1);
  });

  it('stops waiting to retry a failed read once stopped', async () => {
    const { s3, calls } = store(503);
    // The jitter at its bound: the reader waits 200 ms after the first failure.
    const random = jest.spyOn(Math, 'random').mockReturnValue(1);
    try {
      const stop = new AbortController();
      const reason = new InterruptedError('SIGTERM');
      const read = silverBuffer(s3, 'b', 'k.parquet', 100, stop.signal).slice(0, 10);
      await new Promise((resolve) => setImmediate(resolve));
      expect(calls.n).toBe(1);
      stop.abort(reason);
      await expect(read).rejects.toBe(reason);
      // Ended in the wait: no second attempt.
      expect(calls.n).toBe(1);
    } finally {
      random.mockRestore();
    }
  });

  it('without a stop, retries a failing read and names the store', async () => {
    const { s3, calls } = store(503);
    await expect(silverBuffer(s3, 'b', 'k.parquet', 100).slice(0, 10)).rejects.toThrow(/S3 get: Slow Down/);
    expect(calls.n).toBe(4);
  });
});
