import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { checkHeader, describeHeaderProblems, headerDetails, SOURCE_COLUMNS } from '../../src/source/columns';
import { datasetIdFor } from '../../src/source/dataset';
import { scanCsvFile } from '../../src/source/scan';

const dir = mkdtempSync(path.join(tmpdir(), 'scan-'));
function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe('checkHeader', () => {
  it('accepts the exact source header, trailing space included', () => {
    expect(checkHeader([...SOURCE_COLUMNS]).ok).toBe(true);
  });

  it('names missing and unexpected columns (a trimmed name counts as both)', () => {
    const header = SOURCE_COLUMNS.map((c) => (c === 'Sales Channel ' ? 'Sales Channel' : c)).filter((c) => c !== 'Qty');
    const check = checkHeader([...header, 'Quantity']);
    expect(check.ok).toBe(false);
    expect(check.missing).toEqual(['Sales Channel ', 'Qty']);
    expect(check.unexpected).toEqual(['Sales Channel', 'Quantity']);
    expect(describeHeaderProblems(check)).toBe(
      'missing columns: "Sales Channel ", "Qty"; unexpected columns: "Sales Channel" (did you mean "Sales Channel "?), "Quantity"',
    );
  });

  it('suggests the intended column for case, snake_case, joined and near names', () => {
    const renamed: Record<string, string> = {
      'Order ID': 'order_id',
      'Sales Channel ': 'SalesChannel',
      Qty: 'QTY',
      Category: 'Catgory',
      'ship-city': 'Ship City',
    };
    const check = checkHeader(SOURCE_COLUMNS.map((c) => renamed[c] ?? c));
    const text = describeHeaderProblems(check);
    for (const [want, got] of Object.entries(renamed)) {
      expect(text).toContain(`${JSON.stringify(got)} (did you mean ${JSON.stringify(want)}?)`);
    }
  });

  it('says "duplicated" for a column named twice', () => {
    const twice = SOURCE_COLUMNS.map((c) => (c === 'Unnamed: 22' ? 'Qty' : c));
    const check = checkHeader(twice);
    expect(check.duplicated).toEqual(['Qty']);
    expect(describeHeaderProblems(check)).toBe('missing columns: "Unnamed: 22"; duplicated columns: "Qty"');
  });

  it('never echoes a first line that is not a header, and cuts long names to a short escaped excerpt', () => {
    const secret = 'root:x:0:0:root:/root:/bin/bash';
    const notHeader = checkHeader([secret, 'token=abcdef0123456789']);
    const text = describeHeaderProblems(notHeader);
    expect(text).toBe("the first line is not this dataset's header: 2 field(s), 0 of the 24 expected column names");
    expect(JSON.stringify(headerDetails(notHeader))).not.toContain('root:/root');
    const long = `${'A'.repeat(100)}\u0007`;
    const one = checkHeader(SOURCE_COLUMNS.map((c) => (c === 'Qty' ? long : c)));
    expect(describeHeaderProblems(one)).toContain(`unexpected columns: "${'A'.repeat(32)}…"`);
    const many = checkHeader([...SOURCE_COLUMNS, ...Array.from({ length: 20 }, (_, i) => `extra${i}`)]);
    expect(describeHeaderProblems(many)).toMatch(/"extra7" and 12 more$/);
    expect(headerDetails(many)).toMatchObject({ unexpectedCount: 20 });
  });

  it('refuses reordered and duplicated columns', () => {
    const swapped = [...SOURCE_COLUMNS];
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    expect(checkHeader(swapped)).toMatchObject({ ok: false, reordered: true });
    expect(checkHeader([...SOURCE_COLUMNS, 'Qty']).ok).toBe(false);
  });
});

describe('scanCsvFile', () => {
  it('counts records, not lines: quoted newlines and commas stay inside a field', async () => {
    const content = 'a,b\n1,"x, y"\n2,"multi\nline ""quoted"""\n3,z\n';
    const scan = await scanCsvFile(file('quoted.csv', content));
    expect(scan.rows).toBe(3);
    expect(scan.header).toEqual(['a', 'b']);
    expect(scan.bytes).toBe(Buffer.byteLength(content));
    expect(scan.sha256).toBe(createHash('sha256').update(content).digest('hex'));
  });

  it('counts a last record without a trailing newline and strips a BOM from the header', async () => {
    const scan = await scanCsvFile(file('bom.csv', '\uFEFFa,b\n1,2\n3,4'));
    expect(scan.rows).toBe(2);
    expect(scan.header).toEqual(['a', 'b']);
  });

  it('reports an empty file as no header and no rows', async () => {
    expect(await scanCsvFile(file('empty.csv', ''))).toMatchObject({ rows: 0, bytes: 0, header: [] });
    expect(await scanCsvFile(file('header-only.csv', 'a,b\n'))).toMatchObject({ rows: 0, header: ['a', 'b'] });
  });

  it('reads a header split across read buffers', async () => {
    const long = Array.from({ length: 40_000 }, (_, i) => `column_${i}`);
    const scan = await scanCsvFile(file('wide.csv', `${long.join(',')}\n${long.map(() => '1').join(',')}\n`));
    expect(scan.header).toHaveLength(40_000);
    expect(scan.rows).toBe(1);
  });
});

describe('datasetIdFor', () => {
  it.each([
    ['/x/amazon_sale_report_sample.csv', 'kaggle-sample'],
    ['/x/Amazon Sale Report.csv', 'kaggle-full'],
    ['/x/amazon_sale_report_synthetic_seed42_128975.csv', 'synthetic-seed42-128975'],
    ['/x/orders.csv', undefined],
  ])('%s -> %s', (f, id) => {
    expect(datasetIdFor(f)).toBe(id);
  });
});
