/**
 * Exact value conversions to PostgreSQL text input: cents as decimal text, COPY fields, array
 * literals. Every staged value travels as text, for COPY and the INSERT benchmark peer alike.
 */

/** `-1234.5` cents -> "-12.35"-style exact text: 64762 -> "647.62", -5 -> "-0.05". */
export function centsToText(cents: number | bigint): string {
  if (typeof cents === 'number' && Number.isSafeInteger(cents)) {
    const abs = Math.abs(cents);
    const frac = abs % 100;
    return `${cents < 0 ? '-' : ''}${(abs - frac) / 100}.${frac < 10 ? '0' : ''}${frac}`;
  }
  const big = BigInt(cents);
  const neg = big < 0n;
  const abs = neg ? -big : big;
  const frac = (abs % 100n).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${abs / 100n}.${frac}`;
}

/** Exact cents of a decimal given as number or text ("647.62", 647.62), e.g. from _manifest.json. */
export function decimalToCents(value: number | string): bigint {
  if (typeof value === 'number') return BigInt(Math.round(value * 100));
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!m) throw new Error(`"${value}" is not a decimal with at most 2 places`);
  const cents = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '0').padEnd(2, '0'));
  return m[1] ? -cents : cents;
}

/**
 * PostgreSQL array literal of text elements: every element double-quoted, with `"` and `\`
 * escaped, so commas, braces, quotes and the word NULL stay data.
 */
export function textArrayLiteral(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

const COPY_SPECIAL = /[\\\t\n\r]/;
/** One field of COPY's text format: `\N` for NULL; backslash, tab, newline and CR escaped. */
export function copyField(v: string | null): string {
  if (v === null) return '\\N';
  if (!COPY_SPECIAL.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
