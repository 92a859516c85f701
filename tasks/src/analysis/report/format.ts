/** Number formats of the findings report: Indian digit grouping, rupees, percentages. */
const inr = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 0 });
const count = new Intl.NumberFormat('en-IN');

/** `₹12,34,568` (whole rupees, Indian grouping). */
export function rupees(v: unknown): string {
  return `₹${inr.format(Math.round(Number(v ?? 0)))}`;
}

/** `1,234` */
export function n(v: unknown): string {
  return count.format(Number(v ?? 0));
}

/** A share 0..1 as `12.3%`. */
export function pct(v: unknown, digits = 1): string {
  return `${(Number(v ?? 0) * 100).toFixed(digits)}%`;
}

/** A growth rate as `+4.2%` / `-3.0%`. */
export function signedPct(v: unknown): string {
  const x = Number(v) * 100;
  return `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
}

/** Escapes text for HTML. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
