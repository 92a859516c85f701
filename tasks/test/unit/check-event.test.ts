import { isCanonicalEvent } from '../../src/events/check-event';
import { OrderLineEvent } from '../../src/events/order-line';
import { toEvent } from '../../src/events/to-event';
import { sampleFields } from './sample-fields';

const base = () => {
  const c = toEvent([...sampleFields], 2, 'ds', 's3://b/raw/a.csv');
  if (!c.ok) throw new Error('fixture');
  return JSON.parse(JSON.stringify(c.event)) as Record<string, unknown> & { line: Record<string, unknown> };
};

/** Variants of a valid event, each changing one thing the schema cares about (or not). */
const variants: [string, (e: ReturnType<typeof base>) => unknown][] = [
  ['unchanged', (e) => e],
  ['another schema', (e) => ({ ...e, schema: 'sales.order_lines.v2' })],
  ['an empty dataset', (e) => ({ ...e, dataset: '' })],
  ['row 0', (e) => ({ ...e, source: { uri: 'x', row: 0 } })],
  ['a fractional row', (e) => ({ ...e, source: { uri: 'x', row: 1.5 } })],
  ['an empty uri', (e) => ({ ...e, source: { uri: '', row: 1 } })],
  ['an impossible order date', (e) => ({ ...e, order_date: '2022-02-30' })],
  ['a US order date', (e) => ({ ...e, order_date: '04-30-22' })],
  ['a string qty', (e) => ({ ...e, line: { ...e.line, qty: '1' } })],
  ['a negative qty', (e) => ({ ...e, line: { ...e.line, qty: -1 } })],
  ['a null qty', (e) => ({ ...e, line: { ...e.line, qty: null } })],
  ['a float amount', (e) => ({ ...e, line: { ...e.line, amount: 647.62 } })],
  ['a comma amount', (e) => ({ ...e, line: { ...e.line, amount: '6,47' } })],
  ['a null amount', (e) => ({ ...e, line: { ...e.line, amount: null } })],
  ['an empty status', (e) => ({ ...e, line: { ...e.line, status: '' } })],
  ['a null order id', (e) => ({ ...e, line: { ...e.line, order_id: null } })],
  ['a missing line field', (e) => ({ ...e, line: { ...e.line, sku: undefined } })],
  ['a numeric city', (e) => ({ ...e, line: { ...e.line, ship_city: 5 } })],
  ['no line', (e) => ({ ...e, line: null })],
  ['an array', () => []],
  ['a string', () => 'event'],
];

describe('isCanonicalEvent', () => {
  it.each(variants)('agrees with the zod schema on %s', (_name, change) => {
    const value = JSON.parse(JSON.stringify(change(base()) ?? null));
    const zod = OrderLineEvent.safeParse(value);
    expect(isCanonicalEvent(value)).toBe(zod.success);
    if (zod.success) expect(zod.data).toEqual(value);
  });

  it('leaves events with extra or reordered keys to zod (which strips and reorders them)', () => {
    const e = base();
    expect(isCanonicalEvent({ ...e, extra: 1 })).toBe(false);
    expect(OrderLineEvent.safeParse({ ...e, extra: 1 }).success).toBe(true);
    const { schema, ...rest } = e;
    expect(isCanonicalEvent({ ...rest, schema })).toBe(false);
  });
});
