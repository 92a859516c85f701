import { coverage, mape, mase } from './metrics';
import { etsForecast, naiveForecast, seasonalNaiveForecast, SEASON, type Forecast } from './ets';

/** One rolling-origin fold: the model sees `train` (days before `origin`) and is scored on `test`. */
export interface Fold {
  origin: number;
  train: number[];
  test: number[];
}

/** The shortest series we forecast: three weekly seasons. */
export const MIN_DAYS = 3 * SEASON;

/**
 * Rolling origins, newest first: the last fold tests the final `horizon` days, each earlier one
 * starts `step` days before, while at least `minTrain` days remain to train on. A fold's training
 * part is a prefix of the series that ends the day before its test part starts.
 */
export function rollingOrigins(y: number[], horizon: number, maxFolds: number, step = SEASON, minTrain = MIN_DAYS) {
  const folds: Fold[] = [];
  for (let origin = y.length - horizon; origin >= minTrain && folds.length < maxFolds; origin -= step) {
    folds.push({ origin, train: y.slice(0, origin), test: y.slice(origin, origin + horizon) });
  }
  return folds;
}

export interface Scores {
  mase: number;
  mape: number;
}

export interface BacktestResult {
  folds: number;
  horizon: number;
  model: Scores & { coverage80: number; coverage95: number };
  naive: Scores;
  seasonalNaive: Scores;
  /** The model's MASE is below seasonal-naive's. */
  beatsSeasonalNaive: boolean;
  /** Per fold: origin index and the model's forecast, for the report's chart. */
  perFold: { origin: number; mase: number; naiveMase: number; seasonalNaiveMase: number }[];
}

export type Forecaster = (train: number[], horizon: number) => Forecast;

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const finite = (xs: number[]) => xs.filter(Number.isFinite);

/** Scores a forecaster and both baselines on the same folds; MASE is scaled per fold (lag 7). */
export function backtest(folds: Fold[], horizon: number, forecaster: Forecaster = etsForecast): BacktestResult {
  const rows = folds.map((f) => {
    const fc = forecaster(f.train, horizon);
    const naive = naiveForecast(f.train, horizon);
    const snaive = seasonalNaiveForecast(f.train, horizon);
    return {
      origin: f.origin,
      mase: mase(f.test, fc.point, f.train),
      mape: mape(f.test, fc.point),
      c80: coverage(f.test, fc.lo80, fc.hi80),
      c95: coverage(f.test, fc.lo95, fc.hi95),
      naiveMase: mase(f.test, naive, f.train),
      naiveMape: mape(f.test, naive),
      seasonalNaiveMase: mase(f.test, snaive, f.train),
      seasonalNaiveMape: mape(f.test, snaive),
    };
  });
  const avg = (pick: (r: (typeof rows)[number]) => number) => mean(finite(rows.map(pick)));
  const model = {
    mase: avg((r) => r.mase),
    mape: avg((r) => r.mape),
    coverage80: avg((r) => r.c80),
    coverage95: avg((r) => r.c95),
  };
  const seasonalNaive = { mase: avg((r) => r.seasonalNaiveMase), mape: avg((r) => r.seasonalNaiveMape) };
  return {
    folds: folds.length,
    horizon,
    model,
    naive: { mase: avg((r) => r.naiveMase), mape: avg((r) => r.naiveMape) },
    seasonalNaive,
    beatsSeasonalNaive: model.mase < seasonalNaive.mase,
    perFold: rows.map(({ origin, mase: m, naiveMase, seasonalNaiveMase }) => ({
      origin,
      mase: m,
      naiveMase,
      seasonalNaiveMase,
    })),
  };
}
