import { InputRejectedError } from '../errors';
import { chooseK, stability, type Clustering, type KChoice } from './kmeans';
import { profileSegments, type FeatureWords, type SegmentProfile } from './profiles';
import { standardise, type FeatureSpec } from './standardise';

export type SegmentKind = 'customer' | 'product';

type Feature = FeatureSpec & FeatureWords;
const f = (name: string, log: boolean, label: string, high: string, low: string): Feature => ({
  name,
  log,
  label,
  high,
  low,
});

/** Behaviour features per kind: the model input, and the words a profile uses for each. */
export const FEATURES: Record<SegmentKind, Feature[]> = {
  customer: [
    f('realised_amount', true, 'realised revenue', 'high-spending', 'low-spending'),
    f('orders', true, 'orders', 'repeat', 'one-time'),
    f('units', true, 'units', 'bulk', 'single-unit'),
    f('avg_order_value', true, 'average order value', 'big-ticket', 'low-ticket'),
    f('basket_lines', false, 'lines per order', 'multi-item-basket', 'single-item-basket'),
    f('cancel_rate', false, 'cancel rate', 'cancel-prone', 'rarely-cancelling'),
    f('return_rate', false, 'return rate', 'return-prone', 'rarely-returning'),
    f('b2b_share', false, 'B2B share', 'business', 'consumer'),
    f('promo_share', false, 'promotion share', 'promotion-driven', 'full-price'),
    f('distinct_categories', false, 'categories bought', 'multi-category', 'single-category'),
  ],
  product: [
    f('realised_amount', true, 'realised revenue', 'high-revenue', 'low-revenue'),
    f('orders', true, 'orders', 'best-selling', 'slow-selling'),
    f('units', true, 'units', 'high-volume', 'low-volume'),
    f('avg_basket_lines', false, 'lines per basket', 'bundled', 'bought-alone'),
    f('avg_unit_price', true, 'unit price', 'premium-priced', 'budget-priced'),
    f('cancel_rate', false, 'cancel rate', 'often-cancelled', 'rarely-cancelled'),
    f('return_rate', false, 'return rate', 'often-returned', 'rarely-returned'),
    f('b2b_share', false, 'B2B share', 'business-bought', 'consumer-bought'),
    f('promo_share', false, 'promotion share', 'promotion-led', 'full-price'),
    f('sizes', false, 'sizes sold', 'wide-size-range', 'few-size'),
    f('top_size_share', false, 'top size share', 'one-size-dominated', 'even-size-mix'),
    f('days_active', false, 'days with sales', 'steady-selling', 'occasional'),
  ],
};

export interface SegmentationResult {
  kind: SegmentKind;
  keys: string[];
  features: string[];
  means: number[];
  stds: number[];
  choice: KChoice;
  clustering: Clustering;
  stability: { seeds: number; meanAri: number; minAri: number };
  profiles: SegmentProfile[];
}

/** Seeds the stability check refits with (the chosen fit used `seed`). */
export const STABILITY_SEEDS = 10;

/**
 * Segments one kind: standardise the features, choose k by silhouette, name the clusters from
 * their profiles, and refit with 10 other seeds to report stability (ARI).
 * @throws InputRejectedError with fewer than 3 rows.
 */
export function segment(kind: SegmentKind, keys: string[], rows: Record<string, number>[], seed: number) {
  if (rows.length < 3) {
    throw new InputRejectedError(`${kind} features: ${rows.length} rows; at least 3 are needed to choose k from 2 up`);
  }
  const specs = FEATURES[kind];
  const z = standardise(
    rows.map((r) => specs.map((s) => r[s.name]!)),
    specs,
  );
  const choice = chooseK(z.matrix, seed);
  const seeds = Array.from({ length: STABILITY_SEEDS }, (_, i) => seed + 1000 * (i + 1));
  const noun = kind === 'customer' ? 'buyers' : 'styles';
  const result: SegmentationResult = {
    kind,
    keys,
    features: specs.map((s) => s.name),
    means: z.means,
    stds: z.stds,
    choice,
    clustering: choice.best,
    stability: stability(z.matrix, choice.best, seeds),
    profiles: profileSegments(rows, choice.best, specs, 'realised_amount', noun),
  };
  return result;
}
