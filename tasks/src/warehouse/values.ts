/**
 * Exact value conversions between Parquet (as hyparquet decodes it) and PostgreSQL text input.
 * Every staged value travels as text, so the same row serves COPY and the INSERT benchmark peer.
 */

/**
 * Cents of a decimal(12,2) value. hyparquet hands decimals over as JS numbers (unscaled * 0.01);
 * any decimal(12,2) has at most 12 digits, far inside the 2^53 range where `x * 100` lands within
 * a tiny fraction of the true integer, so rounding recovers the exact cents.
 */
export function toCents(x: number): number {
  return Math.round(x * 100);
}

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

const dayCache = new Map<number, string>();
/** Days since 1970-01-01 (Parquet DATE) -> YYYY-MM-DD. */
export function daysToIso(days: number): string {
  let s = dayCache.get(days);
  if (s === undefined) {
    s = new Date(days * 86_400_000).toISOString().slice(0, 10);
    if (dayCache.size < 100_000) dayCache.set(days, s);
  }
  return s;
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

/**
 * Rows `from`..`to` of a column-wise batch as COPY text: tab-separated fields, one line per row.
 * `plain[k]` marks columns whose text never needs escaping (numbers, dates, booleans), which
 * skips the check; the text is built in one pass to keep garbage low.
 */
export function copyLines(columns: (string | null)[][], from: number, to: number, plain: boolean[] = []): string {
  const last = columns.length - 1;
  let text = '';
  for (let r = from; r < to; r++) {
    for (let k = 0; k <= last; k++) {
      const v = columns[k]![r] ?? null;
      text += v === null ? '\\N' : plain[k] ? v : copyField(v);
      text += k === last ? '\n' : '\t';
    }
  }
  return text;
}
