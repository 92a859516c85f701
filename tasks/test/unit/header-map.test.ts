import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, InputRejectedError } from '../../src/errors';
import { adaptHeader } from '../../src/source/adapt-header';
import { SOURCE_COLUMNS } from '../../src/source/columns';
import { applyHeaderMap, headerMapMetadata, parseHeaderMap } from '../../src/source/header-map';
import { scanCsvFile } from '../../src/source/scan';

const dir = mkdtempSync(path.join(tmpdir(), 'header-map-unit-'));
const refusal = (text: string) => {
  try {
    parseHeaderMap(text, 'map.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('the header map (--header-map)', () => {
  it('accepts names mapped to source columns, spelt exactly', () => {
    expect(parseHeaderMap('{"SalesChannel": "Sales Channel ", "order_id": "Order ID"}', 'm')).toEqual({
      SalesChannel: 'Sales Channel ',
      order_id: 'Order ID',
    });
  });

  it('refuses every problem at once, naming the file: unknown targets with a hint, one column twice, a name twice', () => {
    const message = refusal('{"SalesChannel": "Sales Channel", "qty": "Qty", "QTY": "Qty", "x": "Nope", "qty": "Qty"}');
    expect(message).toMatch(/^--header-map map\.json: /);
    expect(message).toContain('"SalesChannel" maps to unknown column "Sales Channel" (did you mean "Sales Channel "?)');
    expect(message).toContain('"x" maps to unknown column "Nope";');
    expect(message).toContain('"qty" and "QTY" all map to "Qty"');
    expect(message).toContain('"qty" is given more than once');
  });

  it.each([
    ['not JSON', '{"a": ', /not valid JSON/],
    ['an array', '["Qty"]', /must be a JSON object/],
    ['a number as target', '{"a": 1}', /must be a JSON object/],
    ['an empty name', '{"": "Qty"}', /an empty column name cannot be mapped/],
  ])('refuses %s', (_, text, message) => {
    expect(refusal(text)).toMatch(message);
  });

  it('renames only the mapped names, and refuses a map naming a column the header lacks', () => {
    expect(applyHeaderMap(['a', 'qty', 'b'], { qty: 'Qty' }, 'm')).toEqual(['a', 'Qty', 'b']);
    expect(() => applyHeaderMap(['a'], { qty: 'Qty' }, 'm')).toThrow(/the file's header has no column "qty"/);
  });

  it('records the map as printable ASCII JSON (an S3 metadata value) that parses back to the map', () => {
    const map = { 'Catégorie\t': 'Category' };
    const value = headerMapMetadata(map);
    expect(value).toMatch(/^[\x20-\x7e]+$/);
    expect(JSON.parse(value)).toEqual(map);
  });
});

describe('adapting a mapped file', () => {
  const rows = '1,405-1,04-30-22\r\n2,"a\r\nb",04-30-22\r\n';

  it('replaces the header by the source header, keeps CRLF and every later byte, and hashes what it stores', async () => {
    const file = path.join(dir, 'crlf.csv');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`idx,order_id,date\r\n${rows}`)]));
    const adapted = await adaptHeader(file, ['idx', 'order_id', 'date']);
    const chunks: Buffer[] = [];
    for await (const c of adapted.body()) chunks.push(c as Buffer);
    const stored = Buffer.concat(chunks);
    expect(stored.toString()).toBe(`${SOURCE_COLUMNS.join(',')}\r\n${rows}`);
    expect(adapted.bytes).toBe(stored.length);
    expect(adapted.sha256).toBe(createHash('sha256').update(stored).digest('hex'));
    const out = path.join(dir, 'stored.csv');
    writeFileSync(out, stored);
    const scan = await scanCsvFile(out);
    expect([scan.header, scan.rows]).toEqual([[...SOURCE_COLUMNS], 2]);
  });

  it('adapts a header-only file without a line break, and refuses a header with a line break in a name', async () => {
    const file = path.join(dir, 'header-only.csv');
    writeFileSync(file, 'order_id');
    const adapted = await adaptHeader(file, ['order_id']);
    expect(adapted.bytes).toBe(Buffer.byteLength(SOURCE_COLUMNS.join(',')));
    await expect(adaptHeader(file, ['order\nid'])).rejects.toBeInstanceOf(InputRejectedError);
  });
});
