import { kmeans } from 'ml-kmeans';
import { adjustedRandIndex, silhouette } from './cluster-scores';

export interface Clustering {
  k: number;
  labels: number[];
  centroids: number[][];
  /** Sum of squared distances of the points to their centroid (scikit-learn's `inertia_`). */
  inertia: number;
}

/** Restarts per k-means fit: the lowest inertia wins, as scikit-learn's `n_init`. */
export const RESTARTS = 10;
/** Largest sample the silhouette is computed on (it costs n^2 distances). */
export const SILHOUETTE_SAMPLE = 2000;
/** Largest sample k is chosen on (3 restarts per k); the chosen k is then fitted on every point. */
export const CHOOSE_SAMPLE = 5000;
const CHOOSE_RESTARTS = 3;

function inertiaOf(points: number[][], labels: number[], centroids: number[][]): number {
  let s = 0;
  for (let i = 0; i < points.length; i++) {
    const c = centroids[labels[i]!]!;
    for (let j = 0; j < c.length; j++) s += (points[i]![j]! - c[j]!) ** 2;
  }
  return s;
}

/**
 * k-means++ (ml-kmeans) restarted RESTARTS times from seeds seed, seed+1, ...; keeps the fit with
 * the lowest inertia. Labels are renumbered by first appearance so equal partitions read equal.
 */
export function fitKMeans(points: number[][], k: number, seed: number, restarts = RESTARTS): Clustering {
  let best: Clustering | undefined;
  for (let r = 0; r < restarts; r++) {
    const fit = kmeans(points, k, { initialization: 'kmeans++', seed: seed + r, maxIterations: 300, tolerance: 1e-6 });
    const inertia = inertiaOf(points, fit.clusters, fit.centroids);
    if (!best || inertia < best.inertia) best = { k, labels: fit.clusters, centroids: fit.centroids, inertia };
  }
  return canonical(best!);
}

function canonical(c: Clustering): Clustering {
  const order = new Map<number, number>();
  for (const l of c.labels) if (!order.has(l)) order.set(l, order.size);
  const centroids = new Array<number[]>(c.k);
  for (const [old, now] of order) centroids[now] = c.centroids[old]!;
  return { ...c, labels: c.labels.map((l) => order.get(l)!), centroids: centroids.map((x, i) => x ?? c.centroids[i]!) };
}

/** A seeded, reproducible sample of indices (xorshift), all of them when n <= size. */
export function sampleIndices(n: number, size: number, seed: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= size) return all;
  let state = seed * 2654435761 || 1;
  for (let i = n - 1; i > 0; i--) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const j = (state >>> 0) % (i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, size).sort((a, b) => a - b);
}

export interface KChoice {
  /** The fit of the chosen k on every point (RESTARTS restarts). */
  best: Clustering;
  silhouettes: { k: number; silhouette: number; inertia: number }[];
}

/**
 * Fits k = kMin..kMax (capped below the number of points) on a seeded sample of at most
 * CHOOSE_SAMPLE points and keeps the k with the highest silhouette (itself on at most
 * SILHOUETTE_SAMPLE of them), then fits that k on every point.
 * @throws RangeError with fewer than 3 points (no k >= 2 can be scored).
 */
export function chooseK(points: number[][], seed: number, kMin = 2, kMax = 10): KChoice {
  const top = Math.min(kMax, points.length - 1);
  if (top < kMin) throw new RangeError(`${points.length} points are too few to cluster`);
  const fitted = sampleIndices(points.length, CHOOSE_SAMPLE, seed).map((i) => points[i]!);
  const scored = sampleIndices(fitted.length, SILHOUETTE_SAMPLE, seed + 1);
  const scoredPoints = scored.map((i) => fitted[i]!);
  let bestK = kMin;
  let bestScore = -Infinity;
  const silhouettes = [];
  for (let k = kMin; k <= top; k++) {
    const c = fitKMeans(fitted, k, seed, CHOOSE_RESTARTS);
    const labels = scored.map((i) => c.labels[i]!);
    const score = new Set(labels).size < 2 ? -1 : silhouette(scoredPoints, labels);
    silhouettes.push({ k, silhouette: score, inertia: c.inertia });
    if (score > bestScore) [bestK, bestScore] = [k, score];
  }
  return { best: fitKMeans(points, bestK, seed), silhouettes };
}

/**
 * Agreement of the chosen partition with single k-means++ runs from `seeds` other seeds (same k),
 * as ARI: 1 = every seed finds the same segments.
 */
export function stability(points: number[][], chosen: Clustering, seeds: number[]) {
  const aris = seeds.map((s) => adjustedRandIndex(chosen.labels, fitKMeans(points, chosen.k, s, 1).labels));
  return { seeds: seeds.length, meanAri: aris.reduce((a, b) => a + b, 0) / aris.length, minAri: Math.min(...aris) };
}
