import { validate } from '../../../src/quality/engine';
import { memoryReader } from '../../../src/quality/readers/memory';
import { checkSuite } from '../../../src/quality/suite';

type Row = Record<string, unknown>;

/** Runs one expectation over rows (in batches of 2, so state crosses batches) and returns its result. */
async function run(type: string, kwargs: Record<string, unknown>, rows: Row[], columns?: string[]) {
  const suite = checkSuite(
    { name: 't', expectations: [{ type, kwargs: { result_format: 'COMPLETE', ...kwargs } }] },
    't',
  );
  const v = await validate(suite, memoryReader(rows, { batchSize: 2, ...(columns ? { columns } : {}) }));
  return v.result.results[0]!;
}
const col = (name: string, values: unknown[]) => values.map((v) => ({ [name]: v }));

// [type, kwargs, rows, expected success, expected unexpected_count (map kinds) or observed_value]
const golden: [string, Record<string, unknown>, Row[], boolean, number | unknown][] = [
  ['expect_column_values_to_not_be_null', { column: 'a' }, col('a', [1, 2, 3]), true, 0],
  ['expect_column_values_to_not_be_null', { column: 'a' }, col('a', [1, null, 3, 4]), false, 1],
  ['expect_column_values_to_not_be_null', { column: 'a', mostly: 0.75 }, col('a', [1, null, 3, 4]), true, 1],
  ['expect_column_values_to_not_be_null', { column: 'a', mostly: 0.76 }, col('a', [1, null, 3, 4]), false, 1],
  ['expect_column_values_to_be_null', { column: 'a' }, col('a', [null, null]), true, 0],
  ['expect_column_values_to_be_null', { column: 'a', mostly: 0.5 }, col('a', [null, 'x']), true, 1],
  ['expect_column_values_to_be_in_set', { column: 'a', value_set: ['x', 'y'] }, col('a', ['x', null, 'y']), true, 0],
  ['expect_column_values_to_be_in_set', { column: 'a', value_set: ['x'] }, col('a', ['x', 'z', null]), false, 1],
  [
    'expect_column_values_to_be_in_set',
    { column: 'a', value_set: ['x'], mostly: 0.5 },
    col('a', ['x', 'z', null]),
    true,
    1,
  ],
  ['expect_column_values_to_be_in_set', { column: 'b', value_set: [true] }, col('b', [true, false]), false, 1],
  [
    'expect_column_values_to_be_between',
    { column: 'a', min_value: 0, max_value: 15 },
    col('a', [0, 15, null]),
    true,
    0,
  ],
  [
    'expect_column_values_to_be_between',
    { column: 'a', min_value: 0, max_value: 15, strict_max: true },
    col('a', [0, 15]),
    false,
    1,
  ],
  ['expect_column_values_to_be_between', { column: 'a', min_value: 0, strict_min: true }, col('a', [0, 1]), false, 1],
  ['expect_column_values_to_be_between', { column: 'a', max_value: 10 }, col('a', ['9.50', '10.01']), false, 1],
  [
    'expect_column_values_to_match_regex',
    { column: 'a', regex: '^B0[A-Z0-9]{8}$' },
    col('a', ['B012345678', null]),
    true,
    0,
  ],
  ['expect_column_values_to_match_regex', { column: 'a', regex: '\\d{3}' }, col('a', ['ab123', 'abc']), false, 1],
  ['expect_column_values_to_be_unique', { column: 'a' }, col('a', [1, 2, null, null]), true, 0],
  ['expect_column_values_to_be_unique', { column: 'a' }, col('a', ['x', 'y', 'x', 'x']), false, 3],
  ['expect_column_values_to_be_unique', { column: 'a' }, col('a', [1, '1']), true, 0],
  [
    'expect_compound_columns_to_be_unique',
    { column_list: ['a', 'b'] },
    [
      { a: 1, b: 1 },
      { a: 1, b: 2 },
      { a: null, b: null },
      { a: null, b: null },
    ],
    true,
    0,
  ],
  [
    'expect_compound_columns_to_be_unique',
    { column_list: ['a', 'b'] },
    [
      { a: 1, b: 1 },
      { a: 1, b: 1 },
      { a: 1, b: null },
    ],
    false,
    2,
  ],
  [
    'expect_compound_columns_to_be_unique',
    { column_list: ['a', 'b'], mostly: 0.6 },
    [
      { a: 1, b: 1 },
      { a: 1, b: 1 },
      { a: 2, b: 1 },
      { a: 3, b: 1 },
      { a: 4, b: 1 },
    ],
    true,
    2,
  ],
  ['expect_column_values_to_be_of_type', { column: 'a', type_: 'str' }, col('a', ['x', null]), true, 0],
  ['expect_column_values_to_be_of_type', { column: 'a', type_: 'int' }, col('a', [1, 'x']), false, 1],
  [
    'expect_column_pair_values_to_be_equal',
    { column_A: 'a', column_B: 'b' },
    [
      { a: 1, b: 1 },
      { a: null, b: null },
    ],
    true,
    0,
  ],
  [
    'expect_column_pair_values_to_be_equal',
    { column_A: 'a', column_B: 'b' },
    [
      { a: 1, b: 2 },
      { a: 1, b: null },
    ],
    false,
    2,
  ],
  [
    'expect_column_pair_values_to_be_equal',
    { column_A: 'a', column_B: 'b', ignore_row_if: 'either_value_is_missing' },
    [
      { a: 1, b: 1 },
      { a: 1, b: null },
    ],
    true,
    0,
  ],
  [
    'expect_column_pair_values_a_to_be_greater_than_b',
    { column_A: 'a', column_B: 'b' },
    [
      { a: 2, b: 1 },
      { a: 1, b: 1 },
    ],
    false,
    1,
  ],
  [
    'expect_column_pair_values_a_to_be_greater_than_b',
    { column_A: 'a', column_B: 'b', or_equal: true },
    [
      { a: 2, b: 1 },
      { a: 1, b: 1 },
    ],
    true,
    0,
  ],
  [
    'expect_multicolumn_sum_to_equal',
    { column_list: ['a', 'b'], sum_total: 10 },
    [
      { a: 4, b: 6 },
      { a: 5.5, b: 4.5 },
    ],
    true,
    0,
  ],
  [
    'expect_multicolumn_sum_to_equal',
    { column_list: ['a', 'b'], sum_total: 10 },
    [
      { a: 4, b: 6 },
      { a: 5, b: null },
    ],
    false,
    1,
  ],
  ['expect_column_mean_to_be_between', { column: 'a', min_value: 2, max_value: 3 }, col('a', [1, 3, null]), true, 2],
  [
    'expect_column_mean_to_be_between',
    { column: 'a', min_value: 2, max_value: 3, strict_min: true },
    col('a', [1, 3]),
    false,
    2,
  ],
  ['expect_column_mean_to_be_between', { column: 'a', min_value: 0 }, col('a', [null]), false, null],
  ['expect_column_sum_to_be_between', { column: 'a', min_value: 0, max_value: 0.3 }, col('a', [0.1, 0.2]), true, 0.3],
  ['expect_column_sum_to_be_between', { column: 'a', min_value: 1 }, [], false, 0],
  ['expect_column_min_to_be_between', { column: 'a', min_value: 0 }, col('a', [3, -1, null]), false, -1],
  ['expect_column_max_to_be_between', { column: 'a', max_value: 10 }, col('a', [3, 10]), true, 10],
  [
    'expect_column_proportion_of_unique_values_to_be_between',
    { column: 'a', min_value: 0.5 },
    col('a', ['x', 'x', 'y', null]),
    true,
    2 / 3,
  ],
  [
    'expect_column_proportion_of_unique_values_to_be_between',
    { column: 'a', min_value: 0.7 },
    col('a', ['x', 'x', 'y']),
    false,
    2 / 3,
  ],
  ['expect_table_row_count_to_be_between', { min_value: 1, max_value: 2 }, col('a', [1, 2]), true, 2],
  ['expect_table_row_count_to_be_between', { min_value: 1 }, [], false, 0],
  ['expect_table_columns_to_match_set', { column_set: ['b', 'a'] }, [{ a: 1, b: 2 }], true, ['a', 'b']],
  ['expect_table_columns_to_match_set', { column_set: ['a'] }, [{ a: 1, b: 2 }], false, ['a', 'b']],
  ['expect_table_columns_to_match_set', { column_set: ['a'], exact_match: false }, [{ a: 1, b: 2 }], true, ['a', 'b']],
  ['expect_table_columns_to_match_ordered_list', { column_list: ['a', 'b'] }, [{ a: 1, b: 2 }], true, ['a', 'b']],
  ['expect_table_columns_to_match_ordered_list', { column_list: ['b', 'a'] }, [{ a: 1, b: 2 }], false, ['a', 'b']],
  ['expect_column_to_exist', { column: 'b' }, [{ a: 1, b: 2 }], true, ['a', 'b']],
  ['expect_column_to_exist', { column: 'c' }, [{ a: 1, b: 2 }], false, ['a', 'b']],
];

describe('expectation types (GX semantics)', () => {
  it.each(golden)('%s %j', async (type, kwargs, rows, success, expected) => {
    const r = await run(type, kwargs, rows);
    expect(r.success).toBe(success);
    if ('unexpected_count' in r.result) expect(r.result.unexpected_count).toBe(expected);
    else expect(r.result.observed_value).toEqual(expected);
  });

  it('counts unexpected_percent over non-missing values, and over all rows for the null checks', async () => {
    const inSet = await run(
      'expect_column_values_to_be_in_set',
      { column: 'a', value_set: ['x'] },
      col('a', ['x', 'z', null, null]),
    );
    expect(inSet.result).toMatchObject({
      element_count: 4,
      missing_count: 2,
      unexpected_percent: 50,
      unexpected_percent_total: 25,
    });
    const notNull = await run(
      'expect_column_values_to_not_be_null',
      { column: 'a' },
      col('a', ['x', null, null, null]),
    );
    expect(notNull.result.unexpected_percent).toBe(75);
    expect(notNull.result).not.toHaveProperty('missing_count');
  });

  it('passes every map expectation vacuously on empty input', async () => {
    for (const [type, kwargs] of golden.filter(
      ([t]) =>
        t.startsWith('expect_column_values') ||
        t.includes('pair') ||
        t.includes('compound') ||
        t.includes('multicolumn'),
    )) {
      expect((await run(type, kwargs, [], ['a', 'b'])).success).toBe(true);
    }
  });

  it('shapes the result by result_format', async () => {
    const rows = col('a', ['z', 'z', 'w', 'x']);
    const kw = { column: 'a', value_set: ['x'] };
    expect(
      (await run('expect_column_values_to_be_in_set', { ...kw, result_format: 'BOOLEAN_ONLY' }, rows)).result,
    ).toEqual({});
    const basic = (
      await run(
        'expect_column_values_to_be_in_set',
        { ...kw, result_format: { result_format: 'BASIC', partial_unexpected_count: 2 } },
        rows,
      )
    ).result;
    expect(basic.partial_unexpected_list).toEqual(['z', 'z']);
    expect(basic).not.toHaveProperty('partial_unexpected_counts');
    const summary = (await run('expect_column_values_to_be_in_set', { ...kw, result_format: 'SUMMARY' }, rows)).result;
    expect(summary.partial_unexpected_counts).toEqual([
      { value: 'z', count: 2 },
      { value: 'w', count: 1 },
    ]);
    expect(summary.partial_unexpected_index_list).toEqual([0, 1, 2]);
    expect(summary).not.toHaveProperty('unexpected_list');
    const complete = (await run('expect_column_values_to_be_in_set', kw, rows)).result;
    expect(complete.unexpected_index_list).toEqual([0, 1, 2]);
  });

  it('applies row_condition before counting, with pandas null semantics', async () => {
    const rows = [
      { f: 'Merchant', s: 'Standard' },
      { f: 'Merchant', s: 'Expedited' },
      { f: 'Amazon', s: 'Expedited' },
      { f: null, s: 'Expedited' },
    ];
    const merchant = await run(
      'expect_column_values_to_be_in_set',
      { column: 's', value_set: ['Standard'], row_condition: "f == 'Merchant'", condition_parser: 'pandas' },
      rows,
    );
    expect(merchant.result).toMatchObject({ element_count: 2, unexpected_count: 1 });
    const notAmazon = await run(
      'expect_column_values_to_be_in_set',
      { column: 's', value_set: ['Standard'], row_condition: "f != 'Amazon'", condition_parser: 'pandas' },
      rows,
    );
    expect(notAmazon.result).toMatchObject({ element_count: 3, unexpected_count: 2 });
    const isnull = await run(
      'expect_table_row_count_to_be_between',
      { min_value: 1, max_value: 1, row_condition: 'f.isnull() | ~(s in ["Expedited"])', condition_parser: 'pandas' },
      rows,
    );
    expect(isnull.result.observed_value).toBe(2);
  });

  it('reports a missing column as an exception of that expectation, not a crash', async () => {
    const r = await run('expect_column_values_to_not_be_null', { column: 'nope' }, col('a', [1]));
    expect(r.success).toBe(false);
    expect(r.exception_info.exception_message).toMatch(/column "nope" not found/);
  });
});
