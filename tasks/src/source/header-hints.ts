/** A column name reduced to what survives a renaming: lower case letters and digits only. */
export const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Edit distance (insertions, deletions, substitutions), for near names. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The expected column an unexpected name most likely stands for, among the missing ones: the same
 * name up to case, spaces and punctuation (`order_id`, `SalesChannel`, `QTY`), else the nearest
 * name within two edits of the normalised forms (`Catgory`). Undefined when nothing is close.
 */
export function suggestColumn(name: string, missing: readonly string[]): string | undefined {
  const n = normalise(name);
  if (!n) return undefined;
  const same = missing.find((m) => normalise(m) === n);
  if (same !== undefined) return same;
  let best: { column: string; d: number } | undefined;
  for (const m of missing) {
    const d = distance(n, normalise(m));
    if (d <= Math.min(2, Math.floor(n.length / 3)) && (!best || d < best.d)) best = { column: m, d };
  }
  return best?.column;
}

/** How many names of a header are expected column names (a header that shares few is not one). */
export function recognised(header: readonly string[], columns: readonly string[]): number {
  const expected = new Set<string>(columns.map(normalise));
  return new Set(header.map(normalise).filter((n) => expected.has(n))).size;
}
