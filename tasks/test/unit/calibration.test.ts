import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { loadCalibration } from '../../src/commands/generate/calibration';
import { csvRecord } from '../../src/commands/generate/format';
import { generateCsv } from '../../src/commands/generate/writer';
import type { ColumnProfile } from '../../src/commands/profile/columns';
import { profileFile, type FileProfile } from '../../src/commands/profile/profiler';
import { sampleSourceFile } from '../../src/paths';

// A generated file profiled beside the real sample, against ../shared/DATA.md's full-file figures.
const ROWS = 60_000;
const file = path.join(mkdtempSync(path.join(tmpdir(), 'calibration-')), 'generated.csv');
let real: FileProfile;
let generated: FileProfile;
let records: string[][];

beforeAll(async () => {
  await generateCsv(
    { rows: ROWS, seed: 2022, from: '2022-03-31', to: '2022-06-29', out: file },
    loadCalibration(path.dirname(sampleSourceFile)),
  );
  [real, generated] = await Promise.all([profileFile(sampleSourceFile, 50), profileFile(file, 50)]);
  records = parse(readFileSync(file), { from_line: 2 }) as string[][];
}, 120_000);

const column = (p: FileProfile, name: string) => p.columns.find((c) => c.name === name)!;
const share = (c: ColumnProfile, value: string) => (c.top.find((t) => t.value === value)?.count ?? 0) / ROWS;
const near = (got: number, want: number, tolerance: number) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(tolerance);
const col = (name: string) => real.header.indexOf(name);
/** A failed per-line fact as one short message (line numbers count the header as line 1). */
const check = (i: number, fact: string, ok: boolean, value: unknown): string[] =>
  ok ? [] : [`line ${i + 2}: ${fact} (${JSON.stringify(value)})`];

describe('generated data against the real sample and the full-file figures', () => {
  it('has the real header and the real value domains of every categorical column', () => {
    expect(generated.header).toEqual(real.header);
    expect(generated.raggedRows).toBe(0);
    const domains = [
      'Status',
      'Fulfilment',
      'Sales Channel ',
      'ship-service-level',
      'Category',
      'Size',
      'Courier Status',
    ];
    for (const name of [...domains, 'currency', 'B2B', 'fulfilled-by', 'ship-country']) {
      const values = new Set(column(generated, name).top.map((t) => t.value));
      for (const t of column(real, name).top) expect([name, values.has(t.value)]).toEqual([name, true]);
    }
    expect(column(generated, 'Status').distinct).toBeGreaterThanOrEqual(11); // 13 in the full file, 3 of them rare
  });

  it('matches the status, fulfilment and category mixes of the full file', () => {
    const status = column(generated, 'Status');
    near(share(status, 'Shipped'), 77_804 / 128_975, 0.015);
    near(share(status, 'Shipped - Delivered to Buyer'), 28_769 / 128_975, 0.015);
    near(share(status, 'Cancelled'), 0.1421, 0.01);
    near(share(column(generated, 'Fulfilment'), 'Amazon'), 0.6955, 0.015);
    near(share(column(generated, 'Category'), 'Set'), 50_284 / 128_975, 0.015);
    near(share(column(generated, 'Category'), 'kurta'), 49_877 / 128_975, 0.015);
    near(share(column(generated, 'Sales Channel '), 'Non-Amazon'), 124 / 128_975, 0.0008);
  });

  it('matches the amount distribution and null patterns', () => {
    const amount = column(generated, 'Amount');
    near(amount.nullRate, 0.0604, 0.006);
    near(amount.numeric!.mean, 648.56, 648.56 * 0.03);
    near(amount.numeric!.median, 605, 20);
    near(amount.numeric!.zeros / amount.numeric!.count, 2_343 / 121_180, 0.005);
    near(amount.numeric!.fractional / amount.numeric!.count, 4_651 / 121_180, 0.008);
    expect(amount.numeric!.max).toBeLessThanOrEqual(5_584);
    near(column(generated, 'Courier Status').nullRate, 0.0533, 0.006);
    near(column(generated, 'promotion-ids').nullRate, 0.38, 0.02);
    near(share(column(generated, 'B2B'), 'True'), 0.0068, 0.0025);
    near(share(column(generated, 'Unnamed: 22'), 'False'), 79_925 / 128_975, 0.015);
    expect(column(generated, 'ship-state').nullRate).toBeLessThan(0.001);
    near(column(generated, 'Qty').numeric!.sum / ROWS, 116_649 / 128_975, 0.01);
    near(ROWS / column(generated, 'Order ID').distinct, 128_975 / 120_378, 0.012);
  });

  it('covers every day of 2022-03-31..2022-06-29 and writes dates and postal codes in the source formats', () => {
    const date = column(generated, 'Date').date!;
    expect([date.min, date.max, date.days, date.missingDays]).toEqual(['2022-03-31', '2022-06-29', 91, []]);
    expect(date.perDay['2022-03-31']!).toBeLessThan(date.perDay['2022-04-01']! / 4);
    const bad = records.flatMap((r, i) => [
      ...check(i, 'Date', /^\d{2}-\d{2}-22$/.test(r[col('Date')]!), r[col('Date')]),
      ...check(i, 'ship-postal-code', /^(\d{6}\.0)?$/.test(r[col('ship-postal-code')]!), r[col('ship-postal-code')]),
    ]);
    expect(bad).toEqual([]);
  });

  it('round-trips through csv-parse byte for byte (RFC 4180 quoting, promotion lists of 1..33 ids)', () => {
    expect([readFileSync(file, 'utf8').split('\n')[0] + '\n', ...records.map(csvRecord)].join('')).toBe(
      readFileSync(file, 'utf8'),
    );
    const lengths = records
      .filter((r) => r[col('promotion-ids')])
      .map((r) => r[col('promotion-ids')]!.split(',').length);
    expect(Math.min(...lengths)).toBe(1);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(33);
    expect(Math.max(...lengths)).toBeGreaterThanOrEqual(28);
  });

  it('keeps the cross-field facts of the source on every line and within every order', () => {
    const orders = new Map<string, string>();
    const keys = new Set<string>();
    let duplicates = 0;
    const bad: string[] = [];
    for (const [i, r] of records.entries()) {
      const [id, status, fulfilment, channel, level, style, sku, asin] = [
        r[col('Order ID')]!,
        r[col('Status')]!,
        r[col('Fulfilment')]!,
        r[col('Sales Channel ')]!,
        r[col('ship-service-level')]!,
        r[col('Style')]!,
        r[col('SKU')]!,
        r[col('ASIN')]!,
      ];
      const amount = r[col('Amount')]!;
      const idFormat = channel === 'Non-Amazon' ? /^S02-\d{7}-\d{7}$/ : /^\d{3}-\d{7}-\d{7}$/;
      const qty = Number(r[col('Qty')]);
      const constant = [2, 16, 17, 18, 21].map((j) => r[j]).join('|');
      bad.push(
        ...check(i, 'Order ID format', idFormat.test(id), id),
        ...check(i, 'ASIN format', /^B0[A-Z0-9]{8}$/.test(asin), asin),
        ...check(i, 'SKU starts with Style', sku.startsWith(style), sku),
        ...check(i, 'currency empty iff Amount empty', (r[col('currency')] === '') === (amount === ''), amount),
        ...check(i, 'Non-Amazon has no Amount', channel !== 'Non-Amazon' || amount === '', amount),
        ...check(i, 'Merchant ships Standard', fulfilment !== 'Merchant' || level === 'Standard', level),
        ...check(
          i,
          'Easy Ship iff Merchant',
          (r[col('fulfilled-by')] === 'Easy Ship') === (fulfilment === 'Merchant'),
          fulfilment,
        ),
        ...check(
          i,
          'fractional Amount only when Cancelled',
          !amount || amount.endsWith('.0') || status === 'Cancelled',
          status,
        ),
        ...check(i, 'Qty in 0..15', qty >= 0 && qty <= 15, r[col('Qty')]),
        ...check(
          i,
          'order-level fields constant within the order',
          (orders.get(id) ?? constant) === constant,
          constant,
        ),
      );
      orders.set(id, constant);
      if (keys.has(`${id}|${sku}`)) duplicates++;
      keys.add(`${id}|${sku}`);
    }
    // One expect per fact, not per line: 60,000 lines x 10 expect() calls took minutes.
    expect(bad).toEqual([]);
    expect(duplicates).toBeLessThanOrEqual(15); // ~7 in 128,975 lines of the full file
  });
});
