import { calendarDay, calendarYear, datesBetween, monthBounds } from '../../src/warehouse/model/calendar';
import { CopyTextWriter, copyText } from '../../src/warehouse/load/copy-text';
import type { DayKeys } from '../../src/warehouse/load/keys';
import { BINARY_HEADER, BINARY_TRAILER } from '../../src/warehouse/load/copy-binary';
import { BINARY_COLUMNS, FACT_COLUMNS, LineEncoder } from '../../src/warehouse/load/lines';
import { ListMembers, Members } from '../../src/warehouse/members';
import { centsOf, utf8Values } from '../../src/warehouse/silver/columns';
import type { StagedBatch } from '../../src/warehouse/silver/reader';
import { centsToText, decimalToCents, textArrayLiteral } from '../../src/warehouse/values';
import { binaryCopyToText } from './copy-binary-text';

describe('warehouse value conversions', () => {
  it('turns a decimal(12,2) the Parquet reader gives as units back into exact cents', () => {
    // The reader multiplies the unscaled integer by 0.01; rounding recovers it over the whole range.
    for (const cents of [64762, 5, -5, 0, 1, 999999999999, -999999999999, 123456789012, 10000000001])
      expect(centsOf(cents * 0.01)).toBe(cents);
    for (let cents = -100_000; cents <= 100_000; cents += 7) expect(centsOf(cents * 0.01)).toBe(cents);
  });

  it('turns cents into exact text', () => {
    expect([centsToText(64762), centsToText(5), centsToText(-5), centsToText(0), centsToText(10n ** 18n + 1n)]).toEqual(
      ['647.62', '0.05', '-0.05', '0.00', '10000000000000000.01'],
    );
    expect([decimalToCents('647.62'), decimalToCents('7'), decimalToCents('-0.5'), decimalToCents(1234.56)]).toEqual([
      64762n,
      700n,
      -50n,
      123456n,
    ]);
    expect(() => decimalToCents('1.234')).toThrow(/at most 2 places/);
  });

  it('escapes COPY text fields so tabs, newlines and backslashes stay data, and NULL is \\N', () => {
    // A backslash before the character itself: read the same by PostgreSQL's text format and Redshift's ESCAPE.
    expect(copyText(null)).toBe('\\N');
    expect(copyText('\\N')).toBe('\\\\N');
    expect(copyText("O'Brien; drop\ttable\nx\\")).toBe("O'Brien; drop\\\ttable\\\nx\\\\");
    const w = new CopyTextWriter(4);
    w.text('a').sep(false).text(null).sep(false).text('c\td').sep(false).text('Kazhakkoottam — ü').sep(true);
    w.int(0)
      .sep(false)
      .int(-42)
      .sep(false)
      .int(2 ** 40)
      .sep(false)
      .cents(-5)
      .sep(false)
      .cents(NaN)
      .sep(true);
    expect(w.take().toString('utf8')).toBe('a\t\\N\tc\\\td\tKazhakkoottam — ü\n0\t-42\t1099511627776\t-0.05\t\\N\n');
  });

  it('encodes staged lines as finished fact rows, in the order of the fact columns, keys resolved', () => {
    const one = (n: number) => Int32Array.of(n);
    const batch: StagedBatch = {
      length: 1,
      orderId: utf8Values(['171-0000001-0000007']),
      product: one(3),
      location: one(0),
      fulfilment: one(1),
      status: one(2),
      promotionList: one(12),
      qty: one(1),
      promoCount: one(2),
      amount: Float64Array.of(NaN),
      gross: Float64Array.of(0),
      realised: Float64Array.of(64762),
      lost: Float64Array.of(999999999999),
      b2b: Uint8Array.of(0),
      isNonAmazon: Uint8Array.of(0),
      isCancelled: Uint8Array.of(1),
    };
    const keys = {
      sku: (n: number) => `SKU\t${n}`,
      productKey: (n: number) => `10${n}`,
      key: (dim: string, n: number) => (n ? `${dim.length}${n}` : '0'),
      groupKey: (n: number) => `77${n}`,
    } as unknown as DayKeys;
    const encoder = new LineEncoder(keys, 'kaggle-sample', '2022-04-30', 20220430);
    expect(encoder.encode(batch, 0, 1).toString()).toBe(
      'kaggle-sample\t2022-04-30\t171-0000001-0000007\tSKU\\\t3\t20220430\t103\t0\t111\t82\t7712\t1\t\\N\t0.00\t647.62\t9999999999.99\t2\tf\tt\tf\n',
    );
    expect(encoder.values(batch, 0, 'kaggle-sample', '2022-04-30')).toEqual([
      'kaggle-sample',
      '2022-04-30',
      '171-0000001-0000007',
      'SKU\t3',
      '20220430',
      '103',
      '0',
      '111',
      '82',
      '7712',
      '1',
      null,
      '0.00',
      '647.62',
      '9999999999.99',
      '2',
      'f',
      't',
      'f',
    ]);
    expect(FACT_COLUMNS).toHaveLength(19);
    expect({ rows: encoder.rows, noLocation: encoder.noLocation, noFulfilment: encoder.noFulfilment }).toEqual({
      rows: 2,
      noLocation: 2,
      noFulfilment: 0,
    });
    // Binary tuples carry the same rows, the order ids' bytes as they came (one not ASCII, one with a tab).
    const twice = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
      const out = new (a.constructor as new (n: number) => T)(2);
      out[0] = out[1] = a[0]!;
      return out;
    };
    const two: StagedBatch = {
      ...batch,
      length: 2,
      orderId: utf8Values(['171-0000001-0000007', '171-ü\tx']),
      product: twice(batch.product),
      location: twice(batch.location),
      fulfilment: twice(batch.fulfilment),
      status: twice(batch.status),
      promotionList: twice(batch.promotionList),
      qty: twice(batch.qty),
      promoCount: twice(batch.promoCount),
      amount: twice(batch.amount),
      gross: twice(batch.gross),
      realised: twice(batch.realised),
      lost: twice(batch.lost),
      b2b: twice(batch.b2b),
      isNonAmazon: twice(batch.isNonAmazon),
      isCancelled: twice(batch.isCancelled),
    };
    const binary = Buffer.concat([BINARY_HEADER, encoder.encodeBinary(two, 0, 2), BINARY_TRAILER]);
    const day = { dataset: 'kaggle-sample', dt: '2022-04-30', date_key: '20220430' };
    expect(binaryCopyToText(binary, day).toString()).toBe(encoder.encode(two, 0, 2).toString());
    expect(binaryCopyToText(binary, day).toString()).toContain('\t171-ü\\\tx\t');
    // The day's columns are not in the tuples (the new table's defaults give them).
    expect(binary.readInt16BE(BINARY_HEADER.length)).toBe(BINARY_COLUMNS.length);
    expect(BINARY_COLUMNS).toEqual(FACT_COLUMNS.filter((c) => !['dataset', 'dt', 'date_key'].includes(c)));
  });

  it('writes promotion lists as array literals that keep quotes, commas and the word NULL as data', () => {
    expect(textArrayLiteral([])).toBe('{}');
    expect(textArrayLiteral(['NULL', 'a"b', 'c\\d', '{x,y}'])).toBe('{"NULL","a\\"b","c\\\\d","{x,y}"}');
  });
});

describe('warehouse calendar', () => {
  it('describes a day: ISO week across the new year, weekend, quarter, holiday', () => {
    expect(calendarDay('2022-01-01')).toMatchObject({
      date_key: 20220101,
      iso_week: 52,
      iso_week_year: 2021,
      is_weekend: true,
      day_name: 'Saturday',
      week_start: '2021-12-27',
    });
    expect(calendarDay('2022-05-03')).toMatchObject({
      is_public_holiday: true,
      holiday_name: 'Id-ul-Fitr',
      quarter: 2,
      iso_day_of_week: 2,
      holidays_known: true,
    });
    expect(calendarDay('2023-01-26')).toMatchObject({ is_public_holiday: false, holidays_known: false });
  });

  it('covers whole years, with the 17 gazetted holidays of 2022', () => {
    const y = calendarYear(2022);
    expect(y).toHaveLength(365);
    expect(calendarYear(2024)).toHaveLength(366);
    expect(y.filter((d) => d.is_public_holiday)).toHaveLength(17);
    expect(new Set(y.map((d) => d.date_key)).size).toBe(365);
  });

  it('bounds monthly partitions and lists date ranges', () => {
    expect(monthBounds('2022-12-31')).toEqual({ from: '2022-12-01', to: '2023-01-01', suffix: '2022_12' });
    expect(datesBetween('2022-02-27', '2022-03-01')).toEqual(['2022-02-27', '2022-02-28', '2022-03-01']);
  });
});

describe('warehouse members', () => {
  it('numbers equal tuples once, through table growth, with 0 for an all-NULL unknown member', () => {
    const m = new Members(['a', 'b'], true);
    const ids = (pairs: [string | null, string | null][]) => [
      Int32Array.from(pairs, ([a]) => m.columns[0]!.of(a)),
      Int32Array.from(pairs, ([, b]) => m.columns[1]!.of(b)),
    ];
    const pairs = Array.from({ length: 5000 }, (_, i): [string | null, string | null] => [`x${i % 2500}`, null]);
    pairs.push([null, null], ['', null]);
    const cols = ids(pairs);
    const numbers = pairs.map((_, r) => m.memberAt(cols, r));
    expect(numbers.slice(0, 3)).toEqual([1, 2, 3]);
    expect(numbers[2500]).toBe(1);
    expect(numbers[5000]).toBe(0);
    // An empty text is a value, not NULL: its own member.
    expect(numbers[5001]).toBe(2501);
    expect(m.rows()).toHaveLength(2501);
    expect(m.rows()[2500]).toEqual(['2501', '', null]);
  });

  it('tells members apart that share a first column, whichever came last, and past 1,024 first values', () => {
    const m = new Members(['sku', 'size', 'style'], true);
    const rows: [string | null, string | null, string | null][] = [
      ['A', 'S', 'x'],
      ['A', 'M', 'x'],
      ['A', 'S', 'x'],
      ['A', 'S', 'y'],
      ['A', 'M', 'x'],
      [null, 'S', 'x'],
      [null, null, null],
      [null, 'S', 'x'],
    ];
    for (let i = 0; i < 3000; i++) rows.push([`B${i}`, 'S', 'x'], [`B${i}`, 'L', 'x']);
    rows.push(['B2999', 'S', 'x']);
    const cols = [0, 1, 2].map((k) => Int32Array.from(rows, (t) => m.columns[k]!.of(t[k]!)));
    const numbers = rows.map((_, r) => m.memberAt(cols, r));
    expect(numbers.slice(0, 8)).toEqual([1, 2, 1, 3, 2, 4, 0, 4]);
    expect(numbers.slice(8, 12)).toEqual([5, 6, 7, 8]);
    expect(numbers.at(-1)).toBe(numbers.at(-3));
    // Every number names the texts of its line.
    rows.forEach((t, r) => {
      if (numbers[r]) expect(m.member(numbers[r]!)).toEqual(t);
    });
  });

  it('numbers promotion lists by their ids in order; the empty list is 0; sizes count distinct ids', () => {
    const lists = new ListMembers();
    const seq = (...ids: string[]) => Int32Array.from(ids, (id) => lists.ids.of(id));
    const a = seq('VPC-1', 'VPC-2', 'VPC-1');
    expect(lists.member(a, a.length)).toBe(1);
    expect(lists.member(seq('VPC-2', 'VPC-1'), 2)).toBe(2);
    expect(lists.member(seq('VPC-1', 'VPC-2', 'VPC-1'), 3)).toBe(1);
    expect(lists.member(new Int32Array(0), 0)).toBe(0);
    expect(lists.sizes).toEqual([0, 2, 2]);
    expect(lists.rows()).toEqual([
      ['1', '{"VPC-1","VPC-2","VPC-1"}'],
      ['2', '{"VPC-2","VPC-1"}'],
    ]);
  });
});
