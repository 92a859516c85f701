import { SOURCE_COLUMNS } from '../source/columns';
import { FIELD_OF, MAX_FIELD_BYTES, ORDER_LINE_SCHEMA, OrderLineEvent, type OrderLine } from './order-line';

/** Why a source row could not become an event; it goes to the dead-letter topic with this. */
export interface Rejection {
  reason: string;
  column: string | null;
  detail: string;
}

export type Conversion = { ok: true; event: OrderLineEvent } | { ok: false; rejection: Rejection };

/** `MM-DD-YY` as in the source (`04-30-22`) to ISO `2022-04-30`; null when it is not a real day. */
export function parseSourceDate(value: string): string | null {
  const m = /^(\d{2})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const iso = `20${m[3]}-${m[1]}-${m[2]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

const reject = (reason: string, column: string | null, detail: string): Conversion => ({
  ok: false,
  rejection: { reason, column, detail },
});

/**
 * Turns one parsed source record into an order-line event, or says exactly why it cannot.
 * Pure: no I/O, so every rejection reason is unit-tested.
 */
export function toEvent(fields: string[], row: number, dataset: string, sourceUri: string): Conversion {
  if (fields.length !== SOURCE_COLUMNS.length) {
    return reject('column_count', null, `expected ${SOURCE_COLUMNS.length} fields, got ${fields.length}`);
  }
  const line: Record<string, string | number | null> = {};
  for (let i = 0; i < SOURCE_COLUMNS.length; i++) {
    const column = SOURCE_COLUMNS[i]!;
    const value = fields[i]!;
    if (value.includes('\uFFFD')) return reject('invalid_utf8', column, 'the field holds bytes that are not UTF-8');
    const size = Buffer.byteLength(value);
    if (size > MAX_FIELD_BYTES) return reject('field_too_large', column, `${size} bytes (max ${MAX_FIELD_BYTES})`);
    line[FIELD_OF[column]] = value === '' ? null : value;
  }
  if (line.order_id === null) return reject('missing_value', 'Order ID', 'Order ID is empty');
  if (line.date === null) return reject('missing_value', 'Date', 'Date is empty');
  const orderDate = parseSourceDate(String(line.date));
  if (!orderDate) return reject('bad_date', 'Date', `"${line.date}" is not a MM-DD-YY calendar date`);
  if (line.qty !== null) {
    if (!/^\d+$/.test(String(line.qty))) return reject('bad_number', 'Qty', `"${line.qty}" is not a whole number`);
    line.qty = Number(line.qty);
  }
  if (line.amount !== null && !/^-?\d+(\.\d+)?$/.test(String(line.amount))) {
    return reject('bad_number', 'Amount', `"${line.amount}" is not a decimal number`);
  }
  const event = {
    schema: ORDER_LINE_SCHEMA,
    dataset,
    source: { uri: sourceUri, row },
    order_date: orderDate,
    line: line as unknown as OrderLine,
  } satisfies OrderLineEvent;
  // The schema is the contract; a failure here is a bug in this function, not bad input.
  OrderLineEvent.parse(event);
  return { ok: true, event };
}
