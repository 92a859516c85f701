/** Feature matrix preparation: optional log1p of heavy-tailed columns, then z-scores. */

export interface FeatureSpec {
  /** Column of the feature table (or a derived name computed by the caller). */
  name: string;
  /** log1p before standardising: money and counts are heavy-tailed, one whale would own a cluster. */
  log: boolean;
}

export interface Standardised {
  matrix: number[][];
  means: number[];
  stds: number[];
}

/**
 * Standardises each column to mean 0 and standard deviation 1 (population sd, as scikit-learn's
 * StandardScaler); a constant column becomes all zeros.
 */
export function standardise(rows: number[][], specs: FeatureSpec[]): Standardised {
  const x = rows.map((r) => r.map((v, j) => (specs[j]!.log ? Math.log1p(Math.max(0, v)) : v)));
  const n = x.length;
  const means = specs.map((_, j) => x.reduce((s, r) => s + r[j]!, 0) / n);
  const stds = specs.map((_, j) => Math.sqrt(x.reduce((s, r) => s + (r[j]! - means[j]!) ** 2, 0) / n));
  const matrix = x.map((r) => r.map((v, j) => (stds[j]! > 0 ? (v - means[j]!) / stds[j]! : 0)));
  return { matrix, means, stds };
}
