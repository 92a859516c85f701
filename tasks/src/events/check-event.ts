import { DATASET_ID } from '../source/dataset';
import { FIELD_OF, ORDER_LINE_SCHEMA, OrderLineEvent } from './order-line';

const EVENT_KEYS = ['schema', 'dataset', 'source', 'order_date', 'line'];
const SOURCE_KEYS = ['uri', 'row'];
const LINE_KEYS = Object.values(FIELD_OF);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

type Json = Record<string, unknown>;

const sameKeys = (o: Json, keys: readonly string[]) => {
  const got = Object.keys(o);
  return got.length === keys.length && got.every((k, i) => k === keys[i]);
};
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown) => v === null || (typeof v === 'string' && v.length > 0);
const realDays = new Set<string>();
const realDay = (v: string) => {
  if (realDays.has(v)) return true;
  const d = new Date(`${v}T00:00:00Z`);
  const ok = !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  // Real days are few (36,525 a century): remembering them keeps this check off the hot path.
  if (ok) realDays.add(v);
  return ok;
};

/**
 * A fast, exact check that a parsed value is an order-line event in canonical form (the keys of
 * the zod schema, in its order, nothing else). True implies `OrderLineEvent.safeParse` succeeds
 * and returns the value unchanged; false means "ask zod" (invalid, or valid with extra keys that
 * zod would strip). Unit tests hold the two to agreement. Exists because the lander checks every
 * message and zod costs several microseconds per event.
 */
export function isCanonicalEvent(v: unknown): v is OrderLineEvent {
  if (!isObject(v) || !sameKeys(v, EVENT_KEYS)) return false;
  if (v.schema !== ORDER_LINE_SCHEMA || typeof v.dataset !== 'string' || !DATASET_ID.test(v.dataset)) return false;
  const source = v.source;
  if (!isObject(source) || !sameKeys(source, SOURCE_KEYS)) return false;
  if (typeof source.uri !== 'string' || !source.uri) return false;
  if (typeof source.row !== 'number' || !Number.isSafeInteger(source.row) || source.row <= 0) return false;
  if (typeof v.order_date !== 'string' || !ISO_DATE.test(v.order_date) || !realDay(v.order_date)) return false;
  const line = v.line;
  if (!isObject(line) || !sameKeys(line, LINE_KEYS)) return false;
  for (const key of LINE_KEYS) {
    const value = line[key];
    if (key === 'qty') {
      if (value !== null && (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)) return false;
    } else if (key === 'amount') {
      if (value !== null && (typeof value !== 'string' || !DECIMAL.test(value))) return false;
    } else if (key === 'order_id' || key === 'date') {
      if (typeof value !== 'string' || !value) return false;
    } else if (!text(value)) {
      return false;
    }
  }
  return true;
}

export type Checked = { ok: true; event: OrderLineEvent; canonical: boolean } | { ok: false; reason: string };

/** Parses and checks a message value: the fast path for canonical events, zod for everything else. */
export function checkEvent(value: string): Checked {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (isCanonicalEvent(parsed)) return { ok: true, event: parsed, canonical: true };
  const result = OrderLineEvent.safeParse(parsed);
  if (!result.success) return { ok: false, reason: result.error.issues[0]?.message ?? 'invalid' };
  return { ok: true, event: result.data, canonical: false };
}
