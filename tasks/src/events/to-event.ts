import { SOURCE_COLUMNS } from '../source/columns';
import { excerpt } from '../source/excerpt';
import { FIELD_OF, MAX_FIELD_BYTES, ORDER_LINE_SCHEMA, type OrderLine, type OrderLineEvent } from './order-line';

/** Why a source row could not become an event; it goes to the dead-letter topic with this. */
export interface Rejection {
  reason: string;
  column: string | null;
  detail: string;
  /** Every problem of the row, the first one (above) included. */
  problems: Problem[];
}

/** One problem of a row. */
export interface Problem {
  reason: string;
  column: string | null;
  detail: string;
}

export type Conversion = { ok: true; event: OrderLineEvent } | { ok: false; rejection: Rejection };

const dateCache = new Map<string, string>();

/** `MM-DD-YY` as in the source (`04-30-22`) to ISO `2022-04-30`; null when it is not a real day. */
export function parseSourceDate(value: string): string | null {
  const cached = dateCache.get(value);
  if (cached) return cached;
  const m = /^(\d{2})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const iso = `20${m[3]}-${m[1]}-${m[2]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) return null;
  // Valid dates are few (a century is 36,525), so the cache stays small. The key is copied: a
  // value sliced from a record would keep the record's whole read buffer alive.
  dateCache.set(` ${value}`.slice(1), iso);
  return iso;
}

const reject = (reason: string, column: string | null, detail: string): Conversion => ({
  ok: false,
  rejection: { reason, column, detail, problems: [{ reason, column, detail }] },
});

/** The rejection of a row with one or more problems, the first one on top. */
const rejectAll = (problems: Problem[]): Conversion => ({ ok: false, rejection: { ...problems[0]!, problems } });

/** Position of each event field in a source record. */
const AT = Object.fromEntries(SOURCE_COLUMNS.map((c, i) => [FIELD_OF[c], i])) as Record<keyof OrderLine, number>;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const WHOLE = /^\d+$/;
const orNull = (v: string) => (v === '' ? null : v);

/**
 * Turns one parsed source record into an order-line event, or says exactly why it cannot.
 * Pure: no I/O, so every rejection reason is unit-tested, and so is the output's conformance to
 * the zod schema (built field by field here because this runs for every row of a replay).
 */
export function toEvent(fields: string[], row: number, dataset: string, sourceUri: string): Conversion {
  if (fields.length !== SOURCE_COLUMNS.length) {
    return reject('column_count', null, `expected ${SOURCE_COLUMNS.length} fields, got ${fields.length}`);
  }
  // Every problem of the row is collected (the array exists only for a bad row).
  let problems: Problem[] | undefined;
  const problem = (reason: string, column: string | null, detail: string) =>
    (problems ??= []).push({ reason, column, detail });
  for (let i = 0; i < fields.length; i++) {
    const value = fields[i]!;
    if (value.includes('\uFFFD'))
      problem('invalid_utf8', SOURCE_COLUMNS[i]!, 'the field holds bytes that are not UTF-8');
    // A UTF-16 unit is at most 3 UTF-8 bytes: only long values need counting.
    if (value.length * 3 > MAX_FIELD_BYTES) {
      const size = Buffer.byteLength(value);
      if (size > MAX_FIELD_BYTES)
        problem('field_too_large', SOURCE_COLUMNS[i]!, `${size} bytes (max ${MAX_FIELD_BYTES})`);
    }
  }
  const f = fields;
  const orderId = f[AT.order_id]!;
  const date = f[AT.date]!;
  if (orderId === '') problem('missing_value', 'Order ID', 'Order ID is empty');
  const orderDate = date === '' ? null : parseSourceDate(date);
  if (date === '') problem('missing_value', 'Date', 'Date is empty');
  else if (!orderDate) problem('bad_date', 'Date', `${excerpt(date)} is not a MM-DD-YY calendar date`);
  const qtyText = f[AT.qty]!;
  if (qtyText !== '' && !WHOLE.test(qtyText)) problem('bad_number', 'Qty', `${excerpt(qtyText)} is not a whole number`);
  const amount = f[AT.amount]!;
  if (amount !== '' && !DECIMAL.test(amount)) {
    problem('bad_number', 'Amount', `${excerpt(amount)} is not a decimal number`);
  }
  if (problems || !orderDate) return rejectAll(problems!);
  const line: OrderLine = {
    index: orNull(f[AT.index]!),
    order_id: orderId,
    date,
    status: orNull(f[AT.status]!),
    fulfilment: orNull(f[AT.fulfilment]!),
    sales_channel: orNull(f[AT.sales_channel]!),
    ship_service_level: orNull(f[AT.ship_service_level]!),
    style: orNull(f[AT.style]!),
    sku: orNull(f[AT.sku]!),
    category: orNull(f[AT.category]!),
    size: orNull(f[AT.size]!),
    asin: orNull(f[AT.asin]!),
    courier_status: orNull(f[AT.courier_status]!),
    qty: qtyText === '' ? null : Number(qtyText),
    currency: orNull(f[AT.currency]!),
    amount: orNull(amount),
    ship_city: orNull(f[AT.ship_city]!),
    ship_state: orNull(f[AT.ship_state]!),
    ship_postal_code: orNull(f[AT.ship_postal_code]!),
    ship_country: orNull(f[AT.ship_country]!),
    promotion_ids: orNull(f[AT.promotion_ids]!),
    b2b: orNull(f[AT.b2b]!),
    fulfilled_by: orNull(f[AT.fulfilled_by]!),
    unnamed_22: orNull(f[AT.unnamed_22]!),
  };
  return {
    ok: true,
    event: { schema: ORDER_LINE_SCHEMA, dataset, source: { uri: sourceUri, row }, order_date: orderDate, line },
  };
}
