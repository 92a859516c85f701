import { loadSuite } from '../../../src/quality/suite';
import { validate } from '../../../src/quality/engine';
import { memoryReader } from '../../../src/quality/readers/memory';
import { mailText, summarise } from '../../../src/quality/notify';

const facts = {
  suite: 's',
  stage: 'bronze',
  dataset: 'd',
  dt: '2022-04-30',
  reportUri: 'r',
  resultUri: 'x',
  quarantineUri: null,
};

describe('the gate mail', () => {
  it('lists each failed expectation with observed vs expected, the unexpected count and a few example values', async () => {
    const bronze = loadSuite('bronze_order_lines');
    const suite = { ...bronze, expectations: bronze.expectations.filter((e) => e.kwargs.column === 'line.b2b') };
    const rows = ['True', 'yes', 'no', 'yes', 'x'.repeat(100)].map((v) => ({ 'line.b2b': v }));
    const v = await validate(suite, memoryReader(rows));
    const summary = summarise(v.result, { ...facts, rows: v.rows, failingRows: v.failingRows });
    const text = mailText(summary);
    expect(text).toMatch(/expect_column_values_to_match_regex \(line\.b2b\): 4 unexpected rows; expected .*\[Tt\]/);
    expect(text).toContain(`e.g. "yes", "no", "${'x'.repeat(32)}…"`);
  });

  it('says why an empty partition is empty, instead of reading like schema drift', () => {
    const v = { success: false, results: [], statistics: {} } as unknown as Parameters<typeof summarise>[0];
    const why = 'stream-produce dead-lettered all 3 rows dated 2022-04-30 (bad_date 3)';
    const text = mailText(summarise(v, { ...facts, rows: 0, failingRows: 0, emptyBecause: why }));
    expect(text).toContain(`The partition has no rows: ${why}`);
  });
});
