import type { SourceSchema } from './types';

/**
 * `expect_column_values_to_be_of_type` has engine-specific meaning in GX. We follow its pandas
 * engine on data as pandas would read it:
 * - a column whose format declares a non-object dtype (Parquet int32/int64/float64/bool, SQL
 *   integer/...) passes when that dtype is the expected one: a schema check, like GX's;
 * - otherwise (text formats, strings, decimals, dates, lists) each non-null value is tested
 *   against a Python type name: str, int, float, bool, list, dict.
 */
const DTYPE_ALIASES: Record<string, string> = {
  int: 'int64',
  long: 'int64',
  float: 'float64',
  double: 'float64',
  bool: 'bool',
  bool_: 'bool',
  boolean: 'bool',
  object: 'object',
  object_: 'object',
  O: 'object',
};
const NUMPY_DTYPES = new Set([
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'float32',
  'float64',
  'bool',
  'object',
]);
const INT_RANGE: Record<string, [number, number]> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
};

/** The per-value test for a type name (missing values are skipped before this is called). */
export function typeTest(name: string): (v: unknown) => boolean {
  const n = name.toLowerCase();
  if (n === 'str' || n === 'string_types' || n === 'string') return (v) => typeof v === 'string';
  if (n === 'bool' || n === 'bool_' || n === 'boolean') return (v) => typeof v === 'boolean';
  if (n === 'float' || n === 'float64' || n === 'float32' || n === 'double') return (v) => typeof v === 'number';
  if (n === 'list') return (v) => Array.isArray(v);
  if (n === 'dict') return (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
  if (n === 'int' || n === 'long' || n === 'int64' || n === 'uint64') {
    return (v) => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
  }
  const range = INT_RANGE[n];
  if (range)
    return (v) =>
      (typeof v === 'number' || typeof v === 'bigint') &&
      Number(v) >= range[0] &&
      Number(v) <= range[1] &&
      Number.isInteger(Number(v));
  return () => false;
}

/** Type names the engine understands (the suite schema lists them too). */
export const KNOWN_TYPE_NAMES = [
  ...new Set(['str', 'string_types', 'int', 'long', 'float', 'bool', 'list', 'dict', ...NUMPY_DTYPES]),
];

/**
 * The schema-level verdict when the source declares a non-object dtype for the column, else null
 * (fall back to the per-value test). An int or bool column with nulls reads into pandas as
 * float64 / object, so that is what it is compared as.
 */
export function dtypeVerdict(
  schema: SourceSchema,
  column: string,
  expected: string,
): { success: boolean; observed: string } | null {
  let dtype = schema.dtypes.get(column);
  if (!dtype) return null;
  const nulls = schema.nullCounts.get(column) ?? 0;
  if (nulls > 0 && /^u?int/.test(dtype)) dtype = 'float64';
  if (nulls > 0 && dtype === 'bool') dtype = 'object';
  const want = DTYPE_ALIASES[expected] ?? expected.toLowerCase();
  if (dtype === 'object') {
    // An object column answers "object" as a whole, anything else value by value.
    return want === 'object' ? { success: true, observed: 'object_' } : null;
  }
  return { success: want === dtype, observed: dtype };
}
