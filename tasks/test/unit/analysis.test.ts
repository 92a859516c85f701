import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { coverage } from '../../src/analysis/build';
import { martColumns, readMartQueries } from '../../src/analysis/catalog';
import { describeDays, missingDays } from '../../src/analysis/coverage';
import { InputRejectedError } from '../../src/errors';
import { addDays, dateRange } from '../../src/dates';

describe('analysis coverage', () => {
  const loaded = ['2022-04-27', '2022-04-28', '2022-04-30', '2022-05-01'];

  test('days of a range without facts, oldest first, read as runs', () => {
    expect(missingDays({ from: '2022-04-26', to: '2022-05-03' }, loaded)).toEqual([
      '2022-04-26',
      '2022-04-29',
      '2022-05-02',
      '2022-05-03',
    ]);
    expect(describeDays(['2022-04-26', '2022-04-29', '2022-05-02', '2022-05-03'])).toBe(
      '2022-04-26, 2022-04-29, 2022-05-02..2022-05-03',
    );
    expect(describeDays([])).toBe('');
  });

  test('the marts cover every loaded day whatever date the run is for; gaps are reported, not fatal', () => {
    for (const dt of ['2022-04-27', '2022-05-01']) {
      expect(coverage('d', dt, dt, loaded)).toEqual({
        range: { from: '2022-04-27', to: '2022-05-01' },
        gaps: ['2022-04-29'],
      });
    }
  });

  test('a requested day without facts is refused, naming the days and what is loaded', () => {
    expect(() => coverage('d', '2022-04-28', '2022-04-30', loaded)).toThrow(
      /no facts for 1 of the requested days: 2022-04-29 \(loaded: 2022-04-27\.\.2022-04-28, 2022-04-30\.\.2022-05-01\)/,
    );
    expect(() => coverage('d', '2022-04-28', '2022-04-30', loaded)).toThrow(InputRejectedError);
  });

  test('a dataset without facts is refused with the command that loads it', () => {
    expect(() => coverage('my-data', '2022-04-30', '2022-04-30', [])).toThrow(
      /dataset "my-data" has no facts in the warehouse: load it first \(make history DATASET=my-data/,
    );
  });

  test('dates: a range is inclusive and empty when reversed; days add across months', () => {
    expect(dateRange('2022-04-29', '2022-05-01')).toEqual(['2022-04-29', '2022-04-30', '2022-05-01']);
    expect(dateRange('2022-05-01', '2022-04-29')).toEqual([]);
    expect(addDays('2022-03-31', 1)).toBe('2022-04-01');
    expect(addDays('2022-03-01', -1)).toBe('2022-02-28');
  });
});

describe('analysis catalog', () => {
  test('every mart query of sql/analysis names a mart of the DDL', () => {
    const queries = readMartQueries();
    const ddl = martColumns();
    expect(queries.length).toBeGreaterThanOrEqual(18);
    for (const q of queries) expect(ddl.has(q.mart)).toBe(true);
    expect(ddl.get('mart_sales_daily')!.slice(0, 3)).toEqual(['dataset', 'dt', 'realised_revenue']);
  });

  test('files without a mart line are skipped; two files filling one mart are refused', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'marts-'));
    writeFileSync(path.join(dir, 'a_b.sql'), '-- mart: mart_x\nselect 1;\n');
    writeFileSync(path.join(dir, 'adhoc.sql'), 'select 2;\n');
    expect(readMartQueries(dir)).toEqual([{ file: 'a_b.sql', mart: 'mart_x', sql: '-- mart: mart_x\nselect 1' }]);
    writeFileSync(path.join(dir, 'c_d.sql'), '-- mart: mart_x\nselect 3;\n');
    expect(() => readMartQueries(dir)).toThrow(/c_d.sql and a_b.sql both fill mart_x/);
  });
});
