/**
 * Forecast and clustering scores, written by hand (small, and each is unit-tested against values
 * computed by hand): MASE, MAPE, interval coverage, silhouette and the adjusted Rand index.
 */

/**
 * Mean absolute scaled error: the forecast's mean absolute error divided by the in-sample mean
 * absolute error of the seasonal-naive forecast (lag `season`) over the training series.
 * @returns NaN when the training series has no seasonal change to scale by (all lags equal).
 */
export function mase(actual: number[], predicted: number[], train: number[], season = 7): number {
  const scale = seasonalScale(train, season);
  if (!(scale > 0)) return NaN;
  return mae(actual, predicted) / scale;
}

/** Mean absolute difference between each training value and the one `season` steps before it. */
export function seasonalScale(train: number[], season: number): number {
  let sum = 0;
  let n = 0;
  for (let t = season; t < train.length; t++) {
    sum += Math.abs(train[t]! - train[t - season]!);
    n++;
  }
  return n ? sum / n : NaN;
}

export function mae(actual: number[], predicted: number[]): number {
  checkSameLength(actual, predicted);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i]! - predicted[i]!);
  return sum / actual.length;
}

/**
 * Mean absolute percentage error in percent, over the points whose actual value is not zero
 * (a day with no sales has no percentage error). NaN when every actual is zero.
 */
export function mape(actual: number[], predicted: number[]): number {
  checkSameLength(actual, predicted);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] === 0) continue;
    sum += Math.abs((actual[i]! - predicted[i]!) / actual[i]!);
    n++;
  }
  return n ? (100 * sum) / n : NaN;
}

/** Share of actual values inside [lower, upper] (bounds included), 0..1. */
export function coverage(actual: number[], lower: number[], upper: number[]): number {
  checkSameLength(actual, lower);
  checkSameLength(actual, upper);
  let inside = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i]! >= lower[i]! && actual[i]! <= upper[i]!) inside++;
  return actual.length ? inside / actual.length : NaN;
}

function checkSameLength(a: unknown[], b: unknown[]) {
  if (a.length !== b.length) throw new RangeError(`lengths differ: ${a.length} vs ${b.length}`);
}
