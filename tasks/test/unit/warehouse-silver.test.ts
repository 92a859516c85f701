import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SchemaTree } from 'hyparquet';
import { InputRejectedError } from '../../src/errors';
import { reconcile, type FactCheck } from '../../src/warehouse/reconcile';
import { SILVER_COLUMNS, checkSilverSchema } from '../../src/warehouse/silver-contract';
import { emptySummary, readSilverFile, type SilverBatch } from '../../src/warehouse/silver-reader';

const fixture = path.join(__dirname, '..', 'fixtures', 'silver-unit-2022-04-30');
const parquet = () => {
  const b = readFileSync(path.join(fixture, 'part-00000-fixture.snappy.parquet'));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

async function readAll(partition = { dataset: 'unit', dt: '2022-04-30' }) {
  const summary = emptySummary();
  const batches: SilverBatch[] = [];
  for await (const b of readSilverFile('part-00000', parquet(), partition, summary, { ordered: true })) batches.push(b);
  return { summary, batches };
}

describe('silver reader', () => {
  it('reads pyarrow-written silver exactly: decimals as cents, dates, booleans, promotion lists', async () => {
    const { summary, batches } = await readAll();
    const col = (name: string) =>
      batches[0]!.columns[
        [
          'dataset',
          'dt',
          'order_id',
          'sku',
          'status',
          'status_bucket',
          'fulfilment',
          'sales_channel',
          'ship_service_level',
          'style',
          'asin',
          'category',
          'size',
          'courier_status',
          'qty',
          'amount',
          'gross_amount',
          'realised_amount',
          'lost_amount',
          'ship_city',
          'ship_state',
          'ship_postal_code',
          'ship_country',
          'promotion_ids',
          'promo_count',
          'b2b',
          'fulfilled_by',
          'is_non_amazon',
          'is_cancelled',
        ].indexOf(name)
      ];
    expect(col('amount')).toEqual(['647.62', null, '0.05']);
    expect(col('dt')).toEqual(['2022-04-30', '2022-04-30', '2022-04-30']);
    expect(col('is_cancelled')).toEqual(['f', 't', 'f']);
    // Lines carry the number of their promotion list; each distinct list is kept once.
    expect(col('promotion_ids')).toEqual(['1', '0', '0']);
    expect(summary.promotionLists.literals).toEqual([
      '{}',
      '{"VPC-1","IN Core Free Shipping 2015/04/08 23-48-5-108","VPC-1"}',
    ]);
    expect(summary).toEqual({
      promotionLists: expect.any(Object),
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

  it('refuses rows of another partition, naming file, row and column', async () => {
    await expect(readAll({ dataset: 'other', dt: '2022-04-30' })).rejects.toThrow(
      'silver file part-00000 row 1 column dataset: is unit, the partition is other',
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
    });
    expect(diffs).toEqual([
      'rows: manifest 4, parquet 3, stage 3, fact 3',
      'amount sum: manifest 647.67, parquet 647.67, fact 647.66',
      'line-promotion pairs: parquet 2, bridge 1',
      'lines on the unknown location: stage without address 1, fact 2',
    ]);
  });
});
