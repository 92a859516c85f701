/** Clustering scores written by hand: silhouette (Euclidean) and the adjusted Rand index. */

function distance(a: number[], b: number[]): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j]! - b[j]!) ** 2;
  return Math.sqrt(s);
}

/**
 * Mean silhouette over the points: s(i) = (b - a) / max(a, b), a = mean distance to the other
 * members of its cluster, b = lowest mean distance to another cluster; 0 for a point alone in its
 * cluster (the usual convention). O(n^2): callers pass a sample when n is large.
 * @throws RangeError when fewer than two clusters are present.
 */
export function silhouette(points: number[][], labels: number[]): number {
  const clusters = [...new Set(labels)];
  if (clusters.length < 2) throw new RangeError('silhouette needs at least two clusters');
  const index = new Map(clusters.map((c, i) => [c, i]));
  const sizes = new Array<number>(clusters.length).fill(0);
  for (const l of labels) sizes[index.get(l)!]!++;
  let total = 0;
  for (let i = 0; i < points.length; i++) {
    const sums = new Array<number>(clusters.length).fill(0);
    for (let j = 0; j < points.length; j++)
      if (j !== i) sums[index.get(labels[j]!)!]! += distance(points[i]!, points[j]!);
    const own = index.get(labels[i]!)!;
    if (sizes[own]! <= 1) continue;
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < clusters.length; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    total += (b - a) / Math.max(a, b) || 0;
  }
  return total / points.length;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

/**
 * Adjusted Rand index of two labelings of the same items: 1 = the same partition (whatever the
 * label numbers), about 0 = chance agreement. 1 when both put every item in one cluster.
 */
export function adjustedRandIndex(x: number[], y: number[]): number {
  if (x.length !== y.length) throw new RangeError(`lengths differ: ${x.length} vs ${y.length}`);
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < x.length; i++) {
    const key = `${x[i]}|${y[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(x[i]!, (rows.get(x[i]!) ?? 0) + 1);
    cols.set(y[i]!, (cols.get(y[i]!) ?? 0) + 1);
  }
  let index = 0;
  for (const n of table.values()) index += pairs(n);
  let a = 0;
  for (const n of rows.values()) a += pairs(n);
  let b = 0;
  for (const n of cols.values()) b += pairs(n);
  const expected = (a * b) / pairs(x.length);
  const max = (a + b) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
