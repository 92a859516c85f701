import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { sampleSourceFile } from '../../src/paths';
import { MAX_RECORD_BYTES, RecordSplitter, RecordTooLongError, splitFields } from '../../src/source/records';

/** Feeds `input` in chunks of `size` bytes and returns the records. */
function split(input: string | Buffer, size: number) {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input);
  const splitter = new RecordSplitter();
  const out: { row: number; text: string }[] = [];
  for (let i = 0; i < bytes.length; i += size) splitter.push(bytes.subarray(i, i + size), (r) => out.push(r));
  splitter.end((r) => out.push(r));
  return out;
}

describe('RecordSplitter and splitFields', () => {
  const tricky = [
    'a,b,c',
    '1,"x, y",z',
    '2,"say ""hi""",z',
    '3,"two\nlines",z',
    '4,in"side,z',
    '5,"",',
    '6,"à ünïcödé ✓",z',
    '',
    '7,"quoted"tail,z',
    // Escaped quotes in a quoted field followed by more text: csv-parse reads `""` as one quote
    // and keeps the field's own quotes.
    '8,"say ""hi"""tail,z',
    '9,""""x,"a""b"c""d',
  ].join('\n');

  it.each([1, 2, 3, 7, 64, 1 << 20])('reads what csv-parse reads, whatever the chunk size (%i bytes)', (size) => {
    const expected = parse(tricky, { relax_quotes: true, relax_column_count: true, skip_empty_lines: false });
    const got = split(tricky, size);
    expect(got.map((r) => splitFields(r.text))).toEqual(expected.map((r: string[]) => (r.length ? r : [''])));
    expect(got.map((r) => r.row)).toEqual(got.map((_r, i) => i + 1));
  });

  it('reads every record of the real sample exactly as csv-parse does', () => {
    const bytes = readFileSync(sampleSourceFile);
    expect(split(bytes, 65_536).map((r) => splitFields(r.text))).toEqual(parse(bytes));
  });

  it('drops the CR of CRLF line ends and keeps a last record without a line break', () => {
    expect(split('a,b\r\nc,d', 3).map((r) => r.text)).toEqual(['a,b', 'c,d']);
  });

  it('turns invalid UTF-8 into U+FFFD so the row can be dead-lettered, not dropped', () => {
    const bytes = Buffer.concat([Buffer.from('a,'), Buffer.from([0xff, 0xfe]), Buffer.from(',c\n')]);
    expect(splitFields(split(bytes, 2)[0]!.text)[1]).toContain('\uFFFD');
  });

  it('keeps an unterminated quote at the end as one last record', () => {
    expect(split('a,b\n1,"open,2\n3', 4).map((r) => splitFields(r.text))).toEqual([
      ['a', 'b'],
      ['1', 'open,2\n3'],
    ]);
  });

  it('refuses a record that never ends instead of buffering the whole input', () => {
    const splitter = new RecordSplitter();
    splitter.push(Buffer.from('a\n"'), () => undefined);
    const big = Buffer.alloc(MAX_RECORD_BYTES / 4, 'x');
    expect(() => {
      for (let i = 0; i < 5; i++) splitter.push(big, () => undefined);
    }).toThrow(RecordTooLongError);
  });
});
