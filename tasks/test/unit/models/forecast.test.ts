import { backtest, rollingOrigins } from '../../../src/models/backtest';
import { etsForecast, naiveForecast, seasonalNaiveForecast } from '../../../src/models/ets';
import { checkLength, fillDays, forecastSeries, SeriesTooShortError } from '../../../src/models/forecast';
import { mape } from '../../../src/models/metrics';

const WEEK = [20, -10, 5, 0, -15, 10, -10];
/** Level 100, trend +0.5/day, the weekly pattern above, and a small fixed wobble (no randomness). */
const truth = (t: number) => 100 + 0.5 * t + WEEK[t % 7]!;
const series = (n: number) => Array.from({ length: n }, (_, t) => truth(t) + 1.5 * Math.sin(t * 1.7));

describe('MSTL/ETS forecaster', () => {
  it('recovers a weekly pattern plus trend: 14-day MAPE under 3 % of the noiseless truth', () => {
    const f = etsForecast(series(84), 14);
    const expected = Array.from({ length: 14 }, (_, i) => truth(84 + i));
    expect(mape(expected, f.point)).toBeLessThan(3);
    // The weekly shape survives: the forecast's highest and lowest days are the pattern's.
    const week = f.point.slice(0, 7);
    expect((84 + week.indexOf(Math.max(...week))) % 7).toBe(0);
    expect((84 + week.indexOf(Math.min(...week))) % 7).toBe(4);
    f.point.forEach((p, i) => {
      expect(f.lo95[i]).toBeLessThanOrEqual(f.lo80[i]!);
      expect(f.lo80[i]).toBeLessThanOrEqual(p);
      expect(f.hi80[i]).toBeLessThanOrEqual(f.hi95[i]!);
    });
  });

  it('is deterministic', () => {
    expect(etsForecast(series(60), 14)).toEqual(etsForecast(series(60), 14));
  });

  it('baselines repeat the last day and the last week', () => {
    expect(naiveForecast([1, 2, 3], 2)).toEqual([3, 3]);
    expect(seasonalNaiveForecast([9, 1, 2, 3, 4, 5, 6, 7], 9)).toEqual([1, 2, 3, 4, 5, 6, 7, 1, 2]);
  });
});

describe('rolling-origin backtest', () => {
  const linear = Array.from({ length: 91 }, (_, i) => i);

  it('splits weekly origins, each fold training only on the days before its test days', () => {
    const folds = rollingOrigins(linear, 14, 8);
    expect(folds.map((f) => f.origin)).toEqual([77, 70, 63, 56, 49, 42, 35, 28]);
    for (const f of folds) {
      expect(f.train).toEqual(linear.slice(0, f.origin));
      expect(f.test[0]).toBe(f.origin);
      expect(Math.max(...f.train)).toBeLessThan(Math.min(...f.test));
    }
    expect(rollingOrigins(linear.slice(0, 40), 14, 8).map((f) => f.origin)).toEqual([26]);
  });

  it('a forecaster that extends the last training day is exact only when no fold leaks its future', () => {
    const seen: number[] = [];
    const extend = (train: number[], h: number) => {
      seen.push(train.length);
      const p = Array.from({ length: h }, (_, i) => train[train.length - 1]! + i + 1);
      return { point: p, lo80: p, hi80: p, lo95: p, hi95: p };
    };
    const r = backtest(rollingOrigins(linear, 14, 4), 14, extend);
    expect(seen).toEqual([77, 70, 63, 56]);
    expect(r.folds).toBe(4);
    expect(r.model.mase).toBe(0);
    expect(r.model.coverage95).toBe(1);
    expect(r.seasonalNaive.mase).toBeGreaterThan(0);
    expect(r.beatsSeasonalNaive).toBe(true);
  });

  it('the model beats seasonal-naive on a trending weekly series', () => {
    const r = forecastSeries({
      series: 'total',
      metric: 'revenue',
      ...fillDays('2022-01-01', '2022-03-31', new Map()),
      values: series(90),
    });
    expect(r.backtest.folds).toBeGreaterThanOrEqual(4);
    expect(r.backtest.model.mase).toBeLessThan(r.backtest.seasonalNaive.mase);
    expect(r.futureDates[0]).toBe('2022-04-01');
    expect(r.futureDates).toHaveLength(14);
  });
});

describe('short series', () => {
  it('refuses fewer than 21 days, naming the days and the range', () => {
    expect(() => checkLength('2022-04-27', '2022-04-30')).toThrow(
      'series too short (4 days < 21): 2022-04-27..2022-04-30 has fewer than three weekly seasons to forecast from',
    );
    expect(() => checkLength('2022-04-27', '2022-04-30')).toThrow(SeriesTooShortError);
    expect(() => checkLength('2022-04-01', '2022-04-21')).not.toThrow();
  });

  it('fills days without sales with 0', () => {
    expect(fillDays('2022-04-27', '2022-04-29', new Map([['2022-04-28', 5]]))).toEqual({
      dates: ['2022-04-27', '2022-04-28', '2022-04-29'],
      values: [0, 5, 0],
    });
  });
});
