import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { csvBatches } from '../../src/quality/readers/text';
import { readRecords, splitFields } from '../../src/source/records';
import { scanCsvFile } from '../../src/source/scan';

const dir = mkdtempSync(path.join(tmpdir(), 'csv-reader-'));

/** Each RFC 4180 case, as bytes, with the fields every reader must see (header `a,b,c`). */
const CASES: [string, string, string[][]][] = [
  [
    'an embedded quote in an unquoted field',
    'a,b,c\n1,5" screen,x\n2,y,z\n',
    [
      ['1', '5" screen', 'x'],
      ['2', 'y', 'z'],
    ],
  ],
  ['escaped quotes inside a quoted field', 'a,b,c\n1,"say ""hi""",x\n', [['1', 'say "hi"', 'x']]],
  [
    'CRLF line ends',
    'a,b,c\r\n1,2,3\r\n4,5,6\r\n',
    [
      ['1', '2', '3'],
      ['4', '5', '6'],
    ],
  ],
  ['a UTF-8 BOM before the header', '\uFEFFa,b,c\n1,2,3\n', [['1', '2', '3']]],
  [
    'line breaks inside quotes (LF and CRLF)',
    'a,b,c\n1,"two\nlines",x\n2,"cr\r\nlf",y\n',
    [
      ['1', 'two\nlines', 'x'],
      ['2', 'cr\r\nlf', 'y'],
    ],
  ],
  ['a quoted comma and no final line break', 'a,b,c\n1,"x,y",z', [['1', 'x,y', 'z']]],
];

/** Streams text in small chunks, so records and quotes straddle chunk boundaries. */
async function* chunks(text: string, size = 3): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('the one CSV reader', () => {
  it.each(CASES)('reads %s the same in every step and gate', async (name, text, rows) => {
    // stream-produce and the reconcile gate: readRecords + splitFields
    const records: string[][] = [];
    for await (const batch of readRecords(chunks(text))) records.push(...batch.map((r) => splitFields(r.text)));
    expect(records).toEqual([['a', 'b', 'c'], ...rows]);

    // ingest-raw: the scan counts the same records and reads the same header
    const file = path.join(dir, `${name.replace(/\W+/g, '_')}.csv`);
    writeFileSync(file, text);
    const scan = await scanCsvFile(file);
    expect([scan.rows, scan.header]).toEqual([rows.length, ['a', 'b', 'c']]);

    // the quality gate's CSV reader
    const got: unknown[][] = [];
    for await (const b of csvBatches({ body: chunks(text), source: name }, 0, [], new Set(), null)) {
      for (let i = 0; i < b.length; i++) got.push(['a', 'b', 'c'].map((c) => (b.columns.get(c) as unknown[])[i]));
    }
    expect(got).toEqual(rows);
  });

  it('the header of a file with CRLF and a BOM has no stray characters', async () => {
    const file = path.join(dir, 'crlf-bom.csv');
    writeFileSync(file, '\uFEFFindex,Order ID\r\n1,x\r\n');
    expect((await scanCsvFile(file)).header).toEqual(['index', 'Order ID']);
  });
});
