/**
 * Exact value conversions to text: cents as decimal text, array literals. Every loaded value
 * travels as text, for COPY and the INSERT benchmark peer alike (COPY fields: load/copy-text.ts).
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
