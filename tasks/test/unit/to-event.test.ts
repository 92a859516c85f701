import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { OrderLineEvent } from '../../src/events/order-line';
import { parseSourceDate, toEvent } from '../../src/events/to-event';
import { sampleSourceFile } from '../../src/paths';
import { sampleFields } from './sample-fields';

const base = [...sampleFields];
const withField = (i: number, v: string) => base.map((x, j) => (j === i ? v : x));
const convert = (fields: string[]) => toEvent(fields, 2, 'kaggle-sample', 's3://b/raw/a.csv');

describe('parseSourceDate', () => {
  it('reads MM-DD-YY strictly', () => {
    expect(parseSourceDate('04-30-22')).toBe('2022-04-30');
    expect(parseSourceDate('03-31-22')).toBe('2022-03-31');
    for (const bad of ['2022-04-30', '4-30-22', '02-30-22', '13-01-22', '04/30/22', '']) {
      expect(parseSourceDate(bad)).toBeNull();
    }
  });
});

describe('toEvent', () => {
  it('keeps every source value, types qty and keeps the amount as exact decimal text', () => {
    const result = convert(base);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event).toMatchObject({
      schema: 'sales.order_lines.v1',
      dataset: 'kaggle-sample',
      source: { uri: 's3://b/raw/a.csv', row: 2 },
      order_date: '2022-04-30',
    });
    expect(result.event.line).toMatchObject({
      order_id: '405-8078784-5731545',
      sku: 'SET389-KR-NP-S',
      qty: 0,
      amount: '647.62',
      courier_status: null,
      ship_postal_code: '400081.0',
      unnamed_22: null,
    });
  });

  it.each([
    ['a short row', base.slice(0, 20), 'column_count', null],
    ['a long row', [...base, 'extra'], 'column_count', null],
    ['non-numeric Qty', withField(13, 'two'), 'bad_number', 'Qty'],
    ['negative Qty', withField(13, '-1'), 'bad_number', 'Qty'],
    ['non-numeric Amount', withField(15, '6,47'), 'bad_number', 'Amount'],
    ['an unparseable date', withField(2, '2022-04-30'), 'bad_date', 'Date'],
    ['an impossible date', withField(2, '02-30-22'), 'bad_date', 'Date'],
    ['an empty Order ID', withField(1, ''), 'missing_value', 'Order ID'],
    ['invalid UTF-8', withField(16, 'MUMB\uFFFDI'), 'invalid_utf8', 'ship-city'],
    ['a 1 MB field', withField(20, 'x'.repeat(1024 * 1024)), 'field_too_large', 'promotion-ids'],
  ])('dead-letters %s with its reason and column', (_name, fields, reason, column) => {
    const result = convert(fields as string[]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejection.reason).toBe(reason);
    expect(result.rejection.column).toBe(column);
    expect(result.rejection.detail.length).toBeGreaterThan(0);
    expect(result.rejection.problems).toHaveLength(1);
  });

  it('records every problem of a row, not only the first, with short escaped values', () => {
    const fields = withField(2, '2022-04-30').map((x, j) =>
      j === 13 ? 'two' : j === 15 ? `? 1,099${'9'.repeat(80)}` : x,
    );
    fields[16] = 'MUMB\uFFFDI';
    const result = convert(fields);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejection.problems.map((p) => [p.reason, p.column])).toEqual([
      ['invalid_utf8', 'ship-city'],
      ['bad_date', 'Date'],
      ['bad_number', 'Qty'],
      ['bad_number', 'Amount'],
    ]);
    expect(result.rejection).toMatchObject({ reason: 'invalid_utf8', column: 'ship-city' }); // the first on top
    const amount = result.rejection.problems[3]!.detail;
    expect(amount).toBe(`"? 1,099${'9'.repeat(25)}…" is not a decimal number`);
  });

  it('turns every row of the real sample into a valid event', () => {
    const records = parse(readFileSync(sampleSourceFile), { from_line: 2 }) as string[][];
    expect(records).toHaveLength(5733);
    const failures = records.map((r, i) => toEvent(r, i + 2, 'kaggle-sample', 'x')).filter((c) => !c.ok);
    expect(failures).toEqual([]);
    const first = toEvent(records[0]!, 2, 'kaggle-sample', 'x');
    expect(first.ok && OrderLineEvent.safeParse(first.event).success).toBe(true);
  });
});
