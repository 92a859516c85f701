/**
 * How the original file writes values (it was saved by pandas `to_csv`): minimal RFC 4180 quoting,
 * `MM-DD-YY` dates, floats with at least one decimal (`399.0`, `647.62`), LF line endings.
 */

const NEEDS_QUOTES = /[",\n\r]/;

/** One CSV field: quoted only when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV record with its LF. */
export function csvRecord(fields: readonly string[]): string {
  let out = csvField(fields[0]!);
  for (let i = 1; i < fields.length; i++) out += `,${csvField(fields[i]!)}`;
  return `${out}\n`;
}

/** ISO `2022-04-30` to the source's `04-30-22`. */
export function sourceDate(iso: string): string {
  return `${iso.slice(5, 7)}-${iso.slice(8, 10)}-${iso.slice(2, 4)}`;
}

/** Paise to the float text pandas writes: 39900 -> `399.0`, 64760 -> `647.6`, 64762 -> `647.62`. */
export function amountText(paise: number): string {
  const rupees = Math.floor(paise / 100);
  const rest = paise % 100;
  if (rest === 0) return `${rupees}.0`;
  return rest % 10 === 0 ? `${rupees}.${rest / 10}` : `${rupees}.${String(rest).padStart(2, '0')}`;
}
