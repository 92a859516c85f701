import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { scanEvent } from '../../src/commands/stream-land/scan-event';
import { checkEvent } from '../../src/events/check-event';
import { toEvent } from '../../src/events/to-event';
import { sampleSourceFile } from '../../src/paths';
import { prng } from './prng';

const records = parse(readFileSync(sampleSourceFile), { from_line: 2 }) as string[][];
const sampleEvents = records.map((r, i) => {
  const c = toEvent(r, i + 2, 'kaggle-sample', 's3://sales-pipeline/raw/amazon_sale_report/a.csv');
  if (!c.ok) throw new Error(`sample row ${i + 2} is not an event`);
  return c.event;
});

/** The contract: whatever scanEvent accepts, the full check accepts as canonical, with the same routing. */
function agrees(bytes: Buffer): boolean {
  const scanned = scanEvent(bytes);
  if (!scanned) return true;
  const checked = checkEvent(bytes.toString('utf8'));
  return (
    checked.ok &&
    checked.canonical &&
    checked.event.dataset === scanned.dataset &&
    checked.event.order_date === scanned.orderDate
  );
}

describe('scanEvent', () => {
  it('recognises every real sample event our producer writes without escapes, routed as the full check routes it', () => {
    let recognised = 0;
    for (const event of sampleEvents) {
      const bytes = Buffer.from(JSON.stringify(event));
      expect(agrees(bytes)).toBe(true);
      const scanned = scanEvent(bytes);
      if (scanned) recognised++;
      else expect(bytes.includes('\\')).toBe(true);
    }
    expect(recognised).toBeGreaterThan(sampleEvents.length * 0.99);
  });

  it('never accepts a damaged event that the full check would not accept as canonical (random byte edits)', () => {
    const random = prng(7);
    const alphabet = Buffer.from('{}[]",:0123456789-.eEnul tx\\\u0001ü'.normalize(), 'utf8');
    let accepted = 0;
    for (let n = 0; n < 20_000; n++) {
      const base = Buffer.from(JSON.stringify(sampleEvents[Math.floor(random() * sampleEvents.length)]));
      const at = Math.floor(random() * base.length);
      const byte = Buffer.from([alphabet[Math.floor(random() * alphabet.length)]!]);
      const edits = [
        Buffer.concat([base.subarray(0, at), base.subarray(at + 1)]),
        Buffer.concat([base.subarray(0, at), byte, base.subarray(at + 1)]),
        Buffer.concat([base.subarray(0, at), byte, base.subarray(at)]),
        base.subarray(0, at),
      ];
      for (const edited of edits) {
        if (!agrees(edited)) throw new Error(`scanEvent accepted ${edited.toString()}`);
        if (scanEvent(edited)) accepted++;
      }
    }
    // Some edits keep an event valid (a digit for a digit); the test must see both outcomes.
    expect(accepted).toBeGreaterThan(1_000);
  });

  it.each([
    ['another schema', (e: Record<string, unknown>) => ({ ...e, schema: 'sales.order_lines.v2' })],
    ['an empty dataset', (e: Record<string, unknown>) => ({ ...e, dataset: '' })],
    ['row 0', (e: Record<string, unknown>) => ({ ...e, source: { uri: 'x', row: 0 } })],
    ['an unsafe row', (e: Record<string, unknown>) => ({ ...e, source: { uri: 'x', row: 2 ** 53 } })],
    ['an impossible order date', (e: Record<string, unknown>) => ({ ...e, order_date: '2022-02-30' })],
    ['a float amount', (e: Record<string, unknown>) => ({ ...e, line: { ...(e.line as object), amount: 6.5 } })],
    ['an amount of "1."', (e: Record<string, unknown>) => ({ ...e, line: { ...(e.line as object), amount: '1.' } })],
    ['a negative qty', (e: Record<string, unknown>) => ({ ...e, line: { ...(e.line as object), qty: -1 } })],
    ['a string qty', (e: Record<string, unknown>) => ({ ...e, line: { ...(e.line as object), qty: '1' } })],
    ['an empty city', (e: Record<string, unknown>) => ({ ...e, line: { ...(e.line as object), ship_city: '' } })],
    ['a null order id', (e: Record<string, unknown>) => ({ ...e, line: { ...(e.line as object), order_id: null } })],
    ['an extra key', (e: Record<string, unknown>) => ({ ...e, extra: 1 })],
  ])('refuses an event with %s', (_name, change) => {
    const bytes = Buffer.from(JSON.stringify(change(JSON.parse(JSON.stringify(sampleEvents[0])))));
    expect(scanEvent(bytes)).toBeNull();
  });

  it('accepts null and zero where the schema allows them, and a negative decimal amount', () => {
    const e = JSON.parse(JSON.stringify(sampleEvents[0]));
    const bytes = Buffer.from(JSON.stringify({ ...e, line: { ...e.line, qty: 0, amount: '-0.50', status: null } }));
    expect(scanEvent(bytes)).toEqual({ dataset: 'kaggle-sample', orderDate: e.order_date });
    expect(agrees(bytes)).toBe(true);
  });

  it('leaves text with escapes or surrounding whitespace to the full check', () => {
    const e = JSON.parse(JSON.stringify(sampleEvents[0]));
    expect(scanEvent(Buffer.from(JSON.stringify({ ...e, line: { ...e.line, ship_city: 'A "B"' } })))).toBeNull();
    expect(scanEvent(Buffer.from(`${JSON.stringify(e)} `))).toBeNull();
  });
});
