import { excerpt } from './excerpt';
import { recognised, suggestColumn } from './header-hints';

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
  /** Names that appear more than once. */
  duplicated: string[];
  /** Fields of the header (its first line). */
  fields: number;
  /** Distinct expected names the header has, up to case and punctuation. */
  recognised: number;
}

/** Compares a header with the expected columns, by exact name (spaces count). */
export function checkHeader(header: readonly string[]): HeaderCheck {
  const expected = new Set<string>(SOURCE_COLUMNS);
  const got = new Set(header);
  const missing = SOURCE_COLUMNS.filter((c) => !got.has(c));
  const unexpected = header.filter((c) => !expected.has(c));
  const reordered = !missing.length && !unexpected.length && header.some((c, i) => c !== SOURCE_COLUMNS[i]);
  const duplicated = [...new Set(header.filter((c, i) => header.indexOf(c) !== i))];
  const ok = !missing.length && !unexpected.length && !reordered && !duplicated.length;
  const fields = header.length;
  return { ok, missing, unexpected, reordered, duplicated, fields, recognised: recognised(header, SOURCE_COLUMNS) };
}

/** Unexpected names shown at most, each as a short excerpt. */
const SHOWN = 8;

/**
 * "missing columns: "Qty"; unexpected columns: "Quantity"": names quoted so a trailing space is
 * visible, each unexpected one with the column it likely stands for. The header is file content:
 * at most 8 unexpected names are shown, each as a short escaped excerpt, and a first line that
 * shares fewer than half the expected names is described, never echoed.
 */
export function describeHeaderProblems(check: HeaderCheck): string {
  if (!isHeaderLike(check)) {
    return (
      `the first line is not this dataset's header: ${check.fields} field(s), ` +
      `${check.recognised} of the ${SOURCE_COLUMNS.length} expected column names`
    );
  }
  const q = (names: string[]) => names.map((n) => JSON.stringify(n)).join(', ');
  const parts: string[] = [];
  if (check.missing.length) parts.push(`missing columns: ${q(check.missing)}`);
  if (check.unexpected.length) {
    const shown = check.unexpected.slice(0, SHOWN).map((n) => {
      const hint = suggestColumn(n, check.missing);
      return hint === undefined ? excerpt(n) : `${excerpt(n)} (did you mean ${JSON.stringify(hint)}?)`;
    });
    const more = check.unexpected.length > SHOWN ? ` and ${check.unexpected.length - SHOWN} more` : '';
    parts.push(`unexpected columns: ${shown.join(', ')}${more}`);
  }
  const twice = check.duplicated.filter(isExpected);
  if (twice.length) parts.push(`duplicated columns: ${q(twice)}`);
  if (check.reordered && !check.duplicated.length) parts.push('columns are in a different order');
  return parts.join('; ');
}

/** A first line sharing fewer than half the expected names is not a header: it is never echoed. */
const isHeaderLike = (check: HeaderCheck) => check.recognised >= SOURCE_COLUMNS.length / 2;
const isExpected = (name: string) => (SOURCE_COLUMNS as readonly string[]).includes(name);

/** What an error's details may carry about a header: our names, counts, and excerpts of the rest. */
export function headerDetails(check: HeaderCheck): Record<string, unknown> {
  return {
    missing: check.missing,
    unexpected: isHeaderLike(check) ? check.unexpected.slice(0, SHOWN).map((n) => excerpt(n)) : [],
    unexpectedCount: check.unexpected.length,
    duplicated: check.duplicated.filter(isExpected),
  };
}
