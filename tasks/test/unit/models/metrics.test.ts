import { adjustedRandIndex, silhouette } from '../../../src/models/cluster-scores';
import { coverage, mape, mase, seasonalScale } from '../../../src/models/metrics';

describe('forecast metrics (hand-computed)', () => {
  it('MASE scales the mean absolute error by the in-sample seasonal-naive error', () => {
    // season 2 on [1,3,2,4]: |2-1| and |4-3| -> scale 1; errors |5-4|, |6-4| -> MAE 1.5.
    expect(seasonalScale([1, 3, 2, 4], 2)).toBe(1);
    expect(mase([5, 6], [4, 4], [1, 3, 2, 4], 2)).toBeCloseTo(1.5, 12);
    // season 7 on 1..9: lags 8-1 and 9-2 -> scale 7; MAE (1+3)/2 = 2 -> 2/7.
    expect(mase([10, 12], [9, 9], [1, 2, 3, 4, 5, 6, 7, 8, 9])).toBeCloseTo(2 / 7, 12);
    expect(mase([1], [1], [5, 5, 5], 1)).toBeNaN();
  });

  it('MAPE skips zero actuals and is in percent', () => {
    // |100-110|/100 = 0.1, |200-150|/200 = 0.25 -> mean 0.175 -> 17.5 %.
    expect(mape([100, 200, 0], [110, 150, 5])).toBeCloseTo(17.5, 12);
    expect(mape([0, 0], [1, 2])).toBeNaN();
  });

  it('coverage counts actuals inside the interval, bounds included', () => {
    expect(coverage([1, 5, 10], [0, 6, 10], [2, 7, 12])).toBeCloseTo(2 / 3, 12);
    expect(() => coverage([1], [0, 1], [2])).toThrow(RangeError);
  });
});

describe('clustering scores (hand-computed)', () => {
  it('silhouette of two 1-D pairs: mean of 7/9, 5/7, 5/7, 7/9', () => {
    // point 0: a = 1, b = (4+5)/2 = 4.5 -> 3.5/4.5; point 1: a = 1, b = (3+4)/2 -> 2.5/3.5; symmetric.
    expect(silhouette([[0], [1], [4], [5]], [0, 0, 1, 1])).toBeCloseTo((7 / 9 + 5 / 7) / 2, 12);
    expect(() => silhouette([[0], [1]], [3, 3])).toThrow(RangeError);
  });

  it('a point alone in its cluster scores 0', () => {
    // points 0,1 | 10: s(0) = (10-1)/10, s(1) = (9-1)/9, s(10) = 0.
    expect(silhouette([[0], [1], [10]], [0, 0, 1])).toBeCloseTo((0.9 + 8 / 9 + 0) / 3, 12);
  });

  it('ARI: 4/7 for one split cluster, 1 for a relabelled identical partition', () => {
    // pairs together in both: 1; in x: 2; in y: 1; of 6 -> expected 1/3, max 1.5 -> (2/3)/(7/6).
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(4 / 7, 12);
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [5, 5, 3, 3, 9])).toBe(1);
    expect(adjustedRandIndex([0, 1, 0, 1], [0, 0, 1, 1])).toBeCloseTo(-0.5, 12);
  });
});
