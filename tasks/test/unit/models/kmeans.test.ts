import { InputRejectedError } from '../../../src/errors';
import { adjustedRandIndex } from '../../../src/models/cluster-scores';
import { chooseK, fitKMeans, sampleIndices } from '../../../src/models/kmeans';
import { profileSegments } from '../../../src/models/profiles';
import { segment } from '../../../src/models/segmentation';

/** Three tight 2-D blobs 10 apart (jitter < 0.5), 15 points each, with their true labels. */
function blobs() {
  const centres = [
    [0, 0],
    [10, 10],
    [0, 10],
  ];
  const points: number[][] = [];
  const truth: number[] = [];
  centres.forEach(([x, y], c) => {
    for (let i = 0; i < 15; i++) {
      points.push([x! + 0.4 * Math.sin(i * 2.1 + c), y! + 0.4 * Math.cos(i * 1.3 + c)]);
      truth.push(c);
    }
  });
  return { points, truth };
}

describe('k-means segments', () => {
  it('separates well-separated blobs exactly and picks k = 3 by silhouette', () => {
    const { points, truth } = blobs();
    const { best, silhouettes } = chooseK(points, 42);
    expect(best.k).toBe(3);
    expect(adjustedRandIndex(best.labels, truth)).toBe(1);
    expect(silhouettes.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(Math.max(...silhouettes.map((s) => s.silhouette))).toBe(silhouettes[1]!.silhouette);
  });

  it('gives identical results for the same seed', () => {
    const { points } = blobs();
    expect(fitKMeans(points, 4, 7)).toEqual(fitKMeans(points, 4, 7));
    expect(sampleIndices(100, 10, 3)).toEqual(sampleIndices(100, 10, 3));
    expect(sampleIndices(100, 10, 3)).not.toEqual(sampleIndices(100, 10, 4));
  });

  it('segments feature rows reproducibly, with stable clusters and unique plain-words names', () => {
    const rows = blobs().points.map(([a, b]) => ({
      realised_amount: a! * 100 + 50,
      orders: b! / 2 + 1,
      units: b! + 1,
      avg_order_value: 40,
      basket_lines: 1,
      cancel_rate: 0.1,
      return_rate: 0,
      b2b_share: 0,
      promo_share: a! > 5 ? 1 : 0,
      distinct_categories: 1,
    }));
    const keys = rows.map((_, i) => String(100000 + i));
    const first = segment('customer', keys, rows, 42);
    expect(segment('customer', keys, rows, 42)).toEqual(first);
    expect(first.clustering.k).toBe(3);
    expect(first.stability.meanAri).toBe(1);
    const names = first.profiles.map((p) => p.name);
    expect(new Set(names).size).toBe(3);
    // The blob at (10, 10) spends most: its name says so, in words, never "cluster 2".
    const richest = first.profiles.reduce((a, b) => (a.realisedRevenue > b.realisedRevenue ? a : b));
    expect(richest.name).toMatch(/^high-value [a-z-]+ buyers$/);
  });
});

it('refuses fewer than 3 feature rows as rejected input, not a crash', () => {
  expect(() => segment('product', ['A', 'B'], [{}, {}], 42)).toThrow(
    'product features: 2 rows; at least 3 are needed to choose k from 2 up',
  );
  expect(() => segment('product', [], [], 42)).toThrow(InputRejectedError);
});

describe('segment profiles', () => {
  it('names a cluster by its value level and most distinctive trait, and describes it in words', () => {
    const rows = [
      { realised_amount: 1000, orders: 5 },
      { realised_amount: 900, orders: 6 },
      { realised_amount: 10, orders: 1 },
      { realised_amount: 20, orders: 1 },
    ];
    const words = [
      { name: 'realised_amount', label: 'realised revenue', high: 'high-spending', low: 'low-spending' },
      { name: 'orders', label: 'orders', high: 'repeat', low: 'one-time' },
    ];
    const clustering = { k: 2, labels: [0, 0, 1, 1], centroids: [], inertia: 0 };
    const [big, small] = profileSegments(rows, clustering, words, 'realised_amount', 'buyers');
    expect(big!.name).toBe('high-value repeat buyers');
    expect(small!.name).toBe('low-value one-time buyers');
    expect(big!.members).toBe(2);
    expect(big!.realisedRevenue).toBe(1900);
    expect(big!.description).toBe(
      '2 buyers (50.0%), 1,900 realised revenue, mean 950 each; orders 5.5 vs 3.25 overall.',
    );
  });
});
