import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCondition } from '../../../src/quality/condition';
import { suiteJsonSchema } from '../../../src/quality/json-schema';
import { checkSuite, EXPECTATIONS_DIR, loadSuite, SuiteError } from '../../../src/quality/suite';
import { validate } from '../../../src/quality/engine';
import { memoryReader } from '../../../src/quality/readers/memory';
import { lostEverything } from '../../../src/quality/reconcile';

const fixtures = path.resolve(__dirname, '../../fixtures/quality');
const suiteFiles = readdirSync(EXPECTATIONS_DIR).filter((f) => f.endsWith('.json') && f !== 'suite.schema.json');

describe('suite files', () => {
  it('expectations/suite.schema.json is the schema the engine checks suites with', () => {
    expect(JSON.parse(readFileSync(path.join(EXPECTATIONS_DIR, 'suite.schema.json'), 'utf8'))).toEqual(
      suiteJsonSchema(),
    );
  });

  it.each(suiteFiles)('%s is a valid suite whose every expectation states its reason', (file) => {
    const suite = loadSuite(path.join(EXPECTATIONS_DIR, file));
    expect(suite.expectations.length).toBeGreaterThan(0);
    for (const e of suite.expectations) expect(typeof e.meta.reason).toBe('string');
    expect(typeof suite.meta.source).toBe('string');
  });

  it('refuses an unknown expectation type, naming the file, the index and the type', () => {
    expect(() => loadSuite(path.join(fixtures, 'unknown_type.json'))).toThrow(
      /unknown_type\.json, expectation #1: unknown expectation type "expect_column_values_to_be_purple"/,
    );
  });

  it('refuses a missing kwarg, naming it', () => {
    expect(() => loadSuite(path.join(fixtures, 'missing_kwarg.json'))).toThrow(
      /missing_kwarg\.json, expectation #0 \(expect_column_values_to_be_in_set\): bad kwargs: value_set/,
    );
  });

  it('refuses a file that is not JSON, naming it', () => {
    expect(() => loadSuite(path.join(fixtures, 'wrong_json.json'))).toThrow(/wrong_json\.json is not valid JSON/);
  });

  it('refuses unknown kwargs, a bad mostly, a bad regex and a bad row_condition', () => {
    const one = (type: string, kwargs: Record<string, unknown>) => () =>
      checkSuite({ name: 's', expectations: [{ type, kwargs }] }, 's.json');
    expect(one('expect_column_values_to_not_be_null', { column: 'a', colum: 'b' })).toThrow(SuiteError);
    expect(one('expect_column_values_to_not_be_null', { column: 'a', mostly: 1.5 })).toThrow(/mostly/);
    expect(one('expect_column_values_to_match_regex', { column: 'a', regex: '(' })).toThrow(/bad regex/);
    expect(
      one('expect_column_values_to_not_be_null', { column: 'a', row_condition: 'a ==', condition_parser: 'pandas' }),
    ).toThrow(/bad row_condition/);
    expect(one('expect_column_values_to_not_be_null', { column: 'a', row_condition: 'a == 1' })).toThrow(
      /condition_parser "pandas"/,
    );
    expect(one('expect_column_values_to_be_between', { column: 'a' })).toThrow(/min_value and max_value/);
  });
});

describe('row_condition parser', () => {
  it('parses comparisons, lists, null methods, backticked names and boolean operators', () => {
    expect(parseCondition("`line.fulfilment` == 'Merchant' & ~(qty >= 2) | x.notnull()")).toEqual({
      op: 'or',
      left: {
        op: 'and',
        left: { op: 'cmp', cmp: '==', left: { column: 'line.fulfilment' }, right: { value: 'Merchant' } },
        right: { op: 'not', arg: { op: 'cmp', cmp: '>=', left: { column: 'qty' }, right: { value: 2 } } },
      },
      right: { op: 'isnull', negate: true, column: 'x' },
    });
    expect(parseCondition('s not in ["a", None]')).toEqual({
      op: 'in',
      negate: true,
      column: 's',
      values: ['a', null],
    });
  });

  it('never evaluates code: calls other than the null methods are refused', () => {
    expect(() => parseCondition('__import__("os").system("true")')).toThrow();
    expect(() => parseCondition('a.str.contains("x")')).toThrow(/isnull\(\), isna\(\), notnull\(\) or notna\(\)/);
  });
});

describe('reconciliation suite', () => {
  const good = {
    dataset: 'd',
    dt: '2022-04-30',
    source_rows: 10,
    source_event_amount_sum: 100.5,
    produced_rows: 10,
    topic_events: 9,
    bronze_rows: 11,
    bronze_distinct_rows: 9,
    bronze_amount_sum: 100.5,
    manifest_bronze_rows: 11,
    bronze_accounted_rows: 11,
    manifest_silver_rows: 8,
    silver_rows: 8,
    silver_amount_sum: 90.25,
    silver_realised_sum: 50,
    warehouse_rows: 8,
    warehouse_amount_sum: 90.25,
    warehouse_realised_sum: 50,
    lost_everything: null,
  };
  it('passes when every layer agrees and names the layer pair that does not', async () => {
    const suite = loadSuite('reconcile_order_lines');
    expect((await validate(suite, memoryReader([good]))).result.success).toBe(true);
    const off = await validate(suite, memoryReader([{ ...good, warehouse_amount_sum: 90.24 }]));
    expect(off.result.success).toBe(false);
    expect(off.result.results.filter((r) => !r.success).map((r) => r.expectation_config.kwargs.column_B)).toEqual([
      'warehouse_amount_sum',
    ]);
    const missing = await validate(
      suite,
      memoryReader([{ ...good, warehouse_rows: null, warehouse_amount_sum: null, warehouse_realised_sum: null }]),
    );
    expect(missing.result.results.filter((r) => !r.success).length).toBe(4);
  });

  it('flags a layer that lost everything although its counts reconcile (0 = 0)', async () => {
    const quarantined = {
      ...good,
      manifest_silver_rows: 0,
      silver_rows: 0,
      silver_amount_sum: 0,
      silver_realised_sum: 0,
      warehouse_rows: 0,
      warehouse_amount_sum: 0,
      warehouse_realised_sum: 0,
    };
    const facts = { ...quarantined, lost_everything: undefined };
    const words = lostEverything(facts);
    expect(words).toBe('bronze->silver: all 9 rows quarantined or duplicates');
    const run = await validate(
      loadSuite('reconcile_order_lines'),
      memoryReader([{ ...quarantined, lost_everything: words }]),
    );
    expect(run.result.results.filter((r) => !r.success).map((r) => r.expectation_config.kwargs.column)).toEqual([
      'lost_everything',
    ]);
    expect(lostEverything({ ...facts, topic_events: 0, produced_rows: 10, bronze_rows: 0 })).toMatch(
      /^source->topic: all 10 rows dead-lettered/,
    );
    expect(lostEverything({ ...good, warehouse_rows: 0 })).toBe('silver->warehouse: 8 rows, none loaded');
    expect(lostEverything(good)).toBeNull();
  });
});

describe('one value convention per column across bronze and silver', () => {
  it('the bronze gate accepts B2B exactly as the transform does (True/False in any case, spaces around)', async () => {
    const bronze = loadSuite('bronze_order_lines');
    const suite = { ...bronze, expectations: bronze.expectations.filter((e) => e.kwargs.column === 'line.b2b') };
    expect(suite.expectations.length).toBe(2);
    // glue/jobs/order_lines/rules/types.py parse_b2b: lower(trim(b2b)) in (true, false)
    const transformAccepts = (v: string) => ['true', 'false'].includes(v.replace(/^ +| +$/g, '').toLowerCase());
    for (const value of ['True', 'False', 'TRUE', 'FALSE', 'true', ' false ', 'yes', '1', 'Truee', '']) {
      const run = await validate(suite, memoryReader([{ 'line.b2b': value }]));
      expect([value, run.result.success]).toEqual([value, transformAccepts(value)]);
    }
  });
});
