/**
 * Value semantics shared by every check, chosen to match what Great Expectations' pandas engine
 * sees when it reads the same file: null, undefined and NaN are "missing"; decimal text, numbers
 * and bigints compare as numbers; dates compare as ISO text.
 */

/** A cell as the readers hand it over (Parquet, NDJSON, CSV, SQL rows). */
export type Cell = string | number | bigint | boolean | Date | null | undefined | readonly unknown[] | object;

/** True for the values GX counts as missing (pandas `isnull`). */
export function isMissing(v: unknown): v is null | undefined {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

const NUMERIC = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** The number a cell stands for, or undefined when it is not numeric (text "12.50" counts). */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && NUMERIC.test(v.trim())) return Number(v);
  return undefined;
}

/** Dates as `YYYY-MM-DD` (or full ISO when there is a time part) so they compare with ISO kwargs. */
export function toComparable(v: unknown): number | string | boolean | undefined {
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof v === 'number' || typeof v === 'bigint') return toNumber(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  return undefined;
}

/**
 * Orders two cells like Python would for the types we meet: numbers numerically (text that looks
 * numeric is compared as a number only against a number), strings lexically.
 * @returns negative, 0 or positive; undefined when the two cannot be ordered (a type mismatch).
 */
export function compare(a: unknown, b: unknown): number | undefined {
  const x = toComparable(a);
  const y = toComparable(b);
  if (x === undefined || y === undefined) return undefined;
  if (typeof x === 'number' || typeof y === 'number') {
    const nx = toNumber(x);
    const ny = toNumber(y);
    if (nx === undefined || ny === undefined) return undefined;
    return nx - ny;
  }
  if (typeof x === 'boolean' || typeof y === 'boolean') return x === y ? 0 : undefined;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Equality as pandas `==` on the values we meet: missing never equals anything. */
export function equals(a: unknown, b: unknown): boolean {
  if (isMissing(a) || isMissing(b)) return false;
  if (typeof a === typeof b && typeof a !== 'object') return a === b;
  return compare(a, b) === 0;
}

/** A stable text form of a cell: the key for set membership, hashing and reports. */
export function keyOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return toComparable(v) as string;
  if (typeof v === 'object' && v !== null) return JSON.stringify(v, jsonSafe);
  return String(v);
}

/** JSON replacer for what JSON.stringify cannot write (bigint, typed arrays). */
export function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as number[]);
  return value;
}

/** A cell as it should appear in a result document (JSON-safe, dates as ISO text). */
export function toJsonValue(v: unknown): unknown {
  if (v === undefined || (typeof v === 'number' && Number.isNaN(v))) return null;
  if (v instanceof Date) return toComparable(v);
  if (typeof v === 'bigint') return jsonSafe('', v);
  if (typeof v === 'object' && v !== null) return JSON.parse(JSON.stringify(v, jsonSafe));
  return v;
}
