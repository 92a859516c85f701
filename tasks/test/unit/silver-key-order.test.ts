import { InputRejectedError } from '../../src/errors';
import { Members } from '../../src/warehouse/members';
import { utf8Values } from '../../src/warehouse/silver/columns';
import { KeyOrder } from '../../src/warehouse/silver/key-order';
import { emptySummary, newDayMembers, readSilverFile } from '../../src/warehouse/silver/reader';
import { fixtureBuffer } from './fixture-buffer';

/** A batch of lines as the reader stages it: order ids as UTF-8 bytes, SKUs as product members. */
function lines(products: Members, keys: [string, string][]) {
  const product = Int32Array.from(keys, ([, sku]) =>
    products.memberOf(Int32Array.from(products.columns, (c, k) => c.of(k === 0 ? sku : `${sku}-attr`))),
  );
  return { orderId: utf8Values(keys.map(([id]) => id)), product };
}

/** Checks batches of lines as files of one date (file name, then its batches); returns the error, if any. */
function check(files: [string, [string, string][][]][]): InputRejectedError | undefined {
  const products = new Members(['sku', 'style', 'asin', 'category', 'size'], false);
  const order = new KeyOrder();
  try {
    for (const [file, batches] of files) {
      let start = 0;
      for (const keys of batches) {
        const b = lines(products, keys);
        order.check(file, start, b.orderId, b.product, products);
        start += keys.length;
      }
    }
    return undefined;
  } catch (error) {
    if (error instanceof InputRejectedError) return error;
    throw error;
  }
}

describe('the key order of a date (the fact grain, checked as silver streams)', () => {
  it('accepts lines sorted by (order_id, sku) across batches and files, an order with several SKUs included', () => {
    expect(
      check([
        [
          'part-0',
          [
            [
              ['171-1', 'A'],
              ['171-1', 'B'],
              ['171-2', 'A'],
            ],
            [['171-3', 'A']],
          ],
        ],
        [
          'part-1',
          [
            [
              ['171-3', 'C'],
              ['171-30', 'A'],
            ],
          ],
        ],
      ]),
    ).toBeUndefined();
  });

  it('refuses a repeated (order_id, sku), naming the file, the row, both columns and the line it repeats', () => {
    const error = check([
      [
        'part-0',
        [
          [
            ['171-1', 'A'],
            ['171-2', 'B'],
          ],
          [['171-2', 'B']],
        ],
      ],
    ]);
    expect(error?.message).toBe(
      'silver file part-0 row 3 column order_id, sku: (order_id 171-2, sku B) repeats the line of row 2: ' +
        "a date holds each (order_id, sku) once, the fact's grain",
    );
    expect(error?.details).toMatchObject({ file: 'part-0', row: 3, column: 'order_id, sku', value: '171-2' });
  });

  it('refuses an order id out of order, within a batch and across files, naming where the line before is', () => {
    const within = check([
      [
        'part-0',
        [
          [
            ['171-2', 'A'],
            ['171-1', 'A'],
          ],
        ],
      ],
    ]);
    expect(within?.message).toMatch(
      /^silver file part-0 row 2 column order_id: \(order_id 171-1, sku A\) sorts before the line of row 1 \(order_id 171-2, sku A\): a date's lines come sorted by \(order_id, sku\)/,
    );
    const across = check([
      [
        'part-0',
        [
          [
            ['171-1', 'A'],
            ['171-5', 'A'],
          ],
        ],
      ],
      ['part-1', [[['171-4', 'Z']]]],
    ]);
    expect(across?.message).toMatch(
      /^silver file part-1 row 1 column order_id: \(order_id 171-4, sku Z\) sorts before the line of row 2 of part-0 \(order_id 171-5, sku A\)/,
    );
  });

  it('refuses SKUs of one order out of order, at a batch boundary too', () => {
    const error = check([['part-0', [[['171-1', 'B']], [['171-1', 'A']]]]]);
    expect(error?.message).toMatch(
      /^silver file part-0 row 2 column sku: \(order_id 171-1, sku A\) sorts before the line of row 1 \(order_id 171-1, sku B\)/,
    );
  });

  it('compares in UTF-8 byte order, as Spark sorts, not in UTF-16 units or by length', () => {
    // U+E000 is one UTF-16 unit above the surrogates of U+1F600, but its UTF-8 bytes sort first.
    expect(
      check([
        [
          'p',
          [
            [
              ['171-1', '\uE000'],
              ['171-1', '\u{1F600}'],
            ],
          ],
        ],
      ]),
    ).toBeUndefined();
    expect(
      check([
        [
          'p',
          [
            [
              ['171-1', '\u{1F600}'],
              ['171-1', '\uE000'],
            ],
          ],
        ],
      ])?.details,
    ).toMatchObject({ column: 'sku' });
    // The same for order ids, compared as bytes.
    expect(
      check([
        [
          'p',
          [
            [
              ['171-\uE000', 'A'],
              ['171-\u{1F600}', 'A'],
            ],
          ],
        ],
      ]),
    ).toBeUndefined();
    expect(
      check([
        [
          'p',
          [
            [
              ['171-\u{1F600}', 'A'],
              ['171-\uE000', 'A'],
            ],
          ],
        ],
      ])?.details,
    ).toMatchObject({ column: 'order_id' });
    // A prefix sorts first; bytes are unsigned (é, 0xC3 0xA9, after every ASCII letter).
    expect(
      check([
        [
          'p',
          [
            [
              ['17', 'A'],
              ['171', 'A'],
              ['17Z', 'A'],
              ['17é', 'A'],
            ],
          ],
        ],
      ]),
    ).toBeUndefined();
    expect(
      check([
        [
          'p',
          [
            [
              ['171', 'A'],
              ['17', 'A'],
            ],
          ],
        ],
      ])?.details,
    ).toMatchObject({ row: 2, column: 'order_id' });
  });

  it('is checked by the silver reader on every row group, with its rows in the file, continuing from the file before', async () => {
    const file = 'silver-encodings/dictionary-v1.parquet'; // 40 lines in key order, row groups of 16
    const partition = { dataset: 'unit', dt: '2022-04-30' };
    const read = async (keys: KeyOrder) => {
      const members = newDayMembers();
      let rows = 0;
      for await (const b of readSilverFile(file, fixtureBuffer(file), partition, emptySummary(), members, { keys }))
        rows += b.length;
      return rows;
    };
    const keys = new KeyOrder();
    const seen = jest.spyOn(keys, 'check');
    expect(await read(keys)).toBe(40);
    expect(seen.mock.calls.map(([f, start, orderId]) => [f, start, orderId.lengths.length])).toEqual([
      [file, 0, 16],
      [file, 16, 16],
      [file, 32, 8],
    ]);
    // The day's previous part ended on the key this file starts with.
    const carried = new KeyOrder();
    const products = new Members(['sku', 'style', 'asin', 'category', 'size'], false);
    const last = lines(products, [['171-0000000-0000000', 'SKU0-KR-S']]);
    carried.check('part-before', 41, last.orderId, last.product, products);
    await expect(read(carried)).rejects.toThrow(
      `silver file ${file} row 1 column order_id, sku: (order_id 171-0000000-0000000, sku SKU0-KR-S) repeats the line of row 42 of part-before`,
    );
  });
});
