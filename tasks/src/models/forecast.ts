import { addDays, dateRange } from '../dates';
import { InputRejectedError } from '../errors';
import { backtest, MIN_DAYS, rollingOrigins, type BacktestResult } from './backtest';
import { etsForecast, type Forecast } from './ets';

/** One daily series to forecast: `total` or a category, revenue or units. */
export interface DailySeries {
  series: string;
  metric: 'revenue' | 'units';
  dates: string[];
  values: number[];
}

export interface SeriesForecast extends DailySeries {
  backtest: BacktestResult;
  forecast: Forecast;
  futureDates: string[];
}

export const HORIZON = 14;
/** Rolling origins a week apart; the issue asks for at least 4 (91 days give 8). */
export const MAX_FOLDS = 8;
export const MIN_FOLDS = 4;

/** A series shorter than three weekly seasons: the forecaster refuses it (exit 1). */
export class SeriesTooShortError extends InputRejectedError {}

/** The message every refusal uses, also the reason recorded when the step skips the forecast. */
export function tooShortReason(days: number, from: string, to: string): string {
  return `series too short (${days} days < ${MIN_DAYS}): ${from}..${to} has fewer than three weekly seasons to forecast from`;
}

/** @throws SeriesTooShortError when the range has fewer than MIN_DAYS days. */
export function checkLength(from: string, to: string): void {
  const days = dateRange(from, to).length;
  if (days < MIN_DAYS) throw new SeriesTooShortError(tooShortReason(days, from, to), { details: { days, from, to } });
}

/**
 * Builds a daily series over every day from `from` to `to`; a day absent from `rows` sold nothing
 * (the marts only hold days with sales), so it counts 0.
 */
export function fillDays(from: string, to: string, rows: Map<string, number>): { dates: string[]; values: number[] } {
  const dates = dateRange(from, to);
  return { dates, values: dates.map((d) => rows.get(d) ?? 0) };
}

/** Backtests then forecasts one series HORIZON days past its last day. */
export function forecastSeries(s: DailySeries, horizon = HORIZON): SeriesForecast {
  if (s.values.length < MIN_DAYS) {
    throw new SeriesTooShortError(tooShortReason(s.values.length, s.dates[0] ?? '?', s.dates.at(-1) ?? '?'));
  }
  const folds = rollingOrigins(s.values, horizon, MAX_FOLDS);
  const last = s.dates[s.dates.length - 1]!;
  return {
    ...s,
    backtest: backtest(folds, horizon),
    forecast: etsForecast(s.values, horizon),
    futureDates: Array.from({ length: horizon }, (_, i) => addDays(last, i + 1)),
  };
}
