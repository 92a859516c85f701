import { parse } from 'csv-parse/sync';
import { ByteRecordSplitter, recordText, splitFields, type RecordBytes } from '../../src/source/records';
import { prng } from './prng';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** One record as the splitter returned it: its number, its bytes as read and its text. */
interface Got {
  row: number;
  bytes: Buffer;
  text: string;
}

const collect = (out: Got[], r: RecordBytes) => {
  for (let i = 0; i < r.count; i++) {
    out.push({ row: r.rows[i]!, bytes: Buffer.from(r.data.subarray(r.starts[i], r.ends[i])), text: recordText(r, i) });
  }
};

/** Feeds `input` cut at `sizes` (cycled) and returns every record. */
function split(input: Buffer, sizes: () => number): Got[] {
  const splitter = new ByteRecordSplitter();
  const out: Got[] = [];
  for (let at = 0; at < input.length;) {
    const n = sizes();
    collect(out, splitter.push(input.subarray(at, at + n)));
    at += n;
  }
  collect(out, splitter.end());
  return out;
}

const PIECES = ['a', 'Z', '7', ' ', '-', '.', 'é', '✓', '𝄞', 'कु'];

/** A random field's bytes as written in the CSV (quoted or not), never holding an unbalanced quote. */
function field(rnd: () => number, crlf: boolean): Buffer {
  const text = (n: number, extra: string[]) => {
    const parts: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      if (rnd() < 0.03) parts.push(Buffer.from([0xff])); // invalid UTF-8
      const pool = rnd() < 0.3 ? extra : PIECES;
      parts.push(Buffer.from(pool[Math.floor(rnd() * pool.length)] ?? 'x'));
    }
    return Buffer.concat(parts);
  };
  const kind = rnd();
  if (kind < 0.5) return text(Math.floor(rnd() * 6), []);
  if (kind < 0.6) return Buffer.concat([Buffer.from('x'), text(2, ['"'])]); // a stray quote, not at the start: literal
  const inside = ['""', ',', '\n', crlf ? '\r\n' : '\n', '\r'];
  const quoted = [Buffer.from('"'), text(Math.floor(rnd() * 6), inside), Buffer.from('"')];
  // "quoted"tail, kept as written (without `""` inside: csv-parse unescapes those, splitFields does not).
  if (kind > 0.95 && !quoted[1]!.includes('"')) quoted.push(Buffer.from('tail'));
  return Buffer.concat(quoted);
}

/** A random CSV: the records' bytes (line break excluded) and the whole input. */
function randomCsv(rnd: () => number): { records: Buffer[]; input: Buffer; bom: boolean } {
  const crlf = rnd() < 0.5;
  const eol = Buffer.from(crlf ? '\r\n' : '\n');
  const records: Buffer[] = [];
  for (let r = 1 + Math.floor(rnd() * 12); r > 0; r--) {
    const fields = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => field(rnd, crlf));
    records.push(Buffer.concat(fields.flatMap((f, i) => (i ? [Buffer.from(','), f] : [f]))));
  }
  const lastBreak = rnd() < 0.5 || records[records.length - 1]!.length === 0;
  const bom = rnd() < 0.3;
  const body = records.flatMap((r, i) => (i < records.length - 1 || lastBreak ? [r, eol] : [r]));
  return { records, input: Buffer.concat(bom ? [BOM, ...body] : body), bom };
}

/** csv-parse's records (their text, a CR before the line break dropped, and fields), or undefined when it refuses the input. */
function csvParse(input: Buffer): { texts: string[]; fields: string[][] } | undefined {
  let rows: { record: string[]; raw: string }[];
  try {
    const options = { bom: true, raw: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: false };
    rows = parse(input, options) as unknown as { record: string[]; raw: string }[];
  } catch {
    return undefined;
  }
  return {
    texts: rows.map((r) => r.raw.replace(/\r?\n?$/, '')),
    fields: rows.map((r) => (r.record.length ? r.record : [''])),
  };
}

const whole = (input: Buffer) => split(input, () => input.length || 1);

describe('ByteRecordSplitter', () => {
  it('cuts random CSV into the records written, byte for byte, whatever the chunk sizes', () => {
    const rnd = prng(20261204);
    for (let n = 0; n < 250; n++) {
      const { records, input } = randomCsv(rnd);
      const expected = records.map((bytes, i) => ({ row: i + 1, bytes, text: bytes.toString('utf8') }));
      expect(whole(input)).toEqual(expected);
      expect(split(input, () => 1)).toEqual(expected);
      expect(split(input, () => 1 + Math.floor(rnd() * 64))).toEqual(expected);
      const theirs = csvParse(input);
      expect(expected.map((r) => r.text)).toEqual(theirs?.texts);
      expect(splitFieldsOf(expected)).toEqual(theirs?.fields);
    }
  });

  it('reads damaged CSV (stray quotes, bytes cut out) alike whatever the chunk sizes', () => {
    // Not compared with csv-parse: after a "quoted"tail field its relax_quotes reads later quotes
    // differently; the splitter keeps its documented rule (a quote opens a field only at its start).
    const rnd = prng(7);
    for (let n = 0; n < 250; n++) {
      const bytes = [...randomCsv(rnd).input];
      for (let edits = 1 + Math.floor(rnd() * 3); edits > 0; edits--) {
        const at = Math.floor(rnd() * (bytes.length + 1));
        if (rnd() < 0.6) bytes.splice(at, 0, 0x22);
        else bytes.splice(at, 1);
      }
      const input = Buffer.from(bytes);
      const once = whole(input);
      expect(once.map((r) => r.row)).toEqual(once.map((_r, i) => i + 1));
      expect(split(input, () => 1)).toEqual(once);
      expect(split(input, () => 1 + Math.floor(rnd() * 64))).toEqual(once);
    }
  });

  it.each([1, 2])('drops a BOM split after its first %i byte(s), and keeps a BOM-like start that is not one', (n) => {
    const input = Buffer.concat([BOM, Buffer.from('a,b\nc,d')]);
    const sizes = [n, input.length];
    expect(split(input, () => sizes.shift()!).map((r) => r.text)).toEqual(['a,b', 'c,d']);
    const notBom = Buffer.concat([BOM.subarray(0, 2), Buffer.from('a\nb\n')]);
    const sizes2 = [n, notBom.length];
    const got = split(notBom, () => sizes2.shift()!);
    expect(got.map((r) => r.bytes)).toEqual([Buffer.concat([BOM.subarray(0, 2), Buffer.from('a')]), Buffer.from('b')]);
  });

  it('drops the CR of a last record whose LF is missing, in any chunks', () => {
    const input = Buffer.from('a,b\r\n"c\r\n",d\r');
    for (const size of [1, 2, input.length]) {
      expect(split(input, () => size).map((r) => r.text)).toEqual(['a,b', '"c\r\n",d']);
    }
  });

  it('keeps invalid UTF-8 bytes as read in data; only recordText turns them into U+FFFD', () => {
    const record = Buffer.concat([Buffer.from('1,"x'), Buffer.from([0xff, 0xc3]), Buffer.from('",é')]);
    const input = Buffer.concat([record, Buffer.from('\r\n2\n')]);
    for (const size of [1, 3, input.length]) {
      const got = split(input, () => size);
      expect(got[0]!.bytes).toEqual(record);
      expect(got[0]!.text).toBe('1,"x\uFFFD\uFFFD",é');
      expect(got.map((r) => r.row)).toEqual([1, 2]);
    }
  });
});

function splitFieldsOf(records: Got[]): string[][] {
  return records.map((r) => splitFields(r.text));
}
