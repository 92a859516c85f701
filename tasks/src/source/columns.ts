/**
 * The source file's columns, exactly as the Kaggle "Amazon Sale Report.csv" spells them, in order.
 * Note the trailing space of `Sales Channel ` and the pandas artifact `Unnamed: 22`.
 */
export const SOURCE_COLUMNS = [
  'index',
  'Order ID',
  'Date',
  'Status',
  'Fulfilment',
  'Sales Channel ',
  'ship-service-level',
  'Style',
  'SKU',
  'Category',
  'Size',
  'ASIN',
  'Courier Status',
  'Qty',
  'currency',
  'Amount',
  'ship-city',
  'ship-state',
  'ship-postal-code',
  'ship-country',
  'promotion-ids',
  'B2B',
  'fulfilled-by',
  'Unnamed: 22',
] as const;

export type SourceColumn = (typeof SOURCE_COLUMNS)[number];

export interface HeaderCheck {
  ok: boolean;
  missing: string[];
  unexpected: string[];
  /** True when the set matches but the order differs. */
  reordered: boolean;
}

/** Compares a header with the expected columns, by exact name (spaces count). */
export function checkHeader(header: readonly string[]): HeaderCheck {
  const expected = new Set<string>(SOURCE_COLUMNS);
  const got = new Set(header);
  const missing = SOURCE_COLUMNS.filter((c) => !got.has(c));
  const unexpected = header.filter((c) => !expected.has(c));
  const reordered = !missing.length && !unexpected.length && header.some((c, i) => c !== SOURCE_COLUMNS[i]);
  const duplicated = header.length !== got.size;
  return { ok: !missing.length && !unexpected.length && !reordered && !duplicated, missing, unexpected, reordered };
}

/** "missing: `Qty`; unexpected: `Quantity`" — names shown quoted so a trailing space is visible. */
export function describeHeaderProblems(check: HeaderCheck): string {
  const q = (names: string[]) => names.map((n) => JSON.stringify(n)).join(', ');
  const parts: string[] = [];
  if (check.missing.length) parts.push(`missing columns: ${q(check.missing)}`);
  if (check.unexpected.length) parts.push(`unexpected columns: ${q(check.unexpected)}`);
  if (check.reordered) parts.push('columns are in a different order');
  if (!parts.length && !check.ok) parts.push('a column name appears twice');
  return parts.join('; ');
}
