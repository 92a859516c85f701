import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { initSync, MSTL } from '@bsull/augurs/mstl';

/** A point forecast with its 80 % and 95 % prediction intervals, one value per future day. */
export interface Forecast {
  point: number[];
  lo80: number[];
  hi80: number[];
  lo95: number[];
  hi95: number[];
}

/** The weekly season of daily sales. */
export const SEASON = 7;
let ready = false;

/**
 * The `.wasm` sits beside the package's module but is not in its exports: read it from there, or
 * from beside this file (a step bundle that ships it next to main.js).
 */
export function mstlWasmPath(): string {
  const beside = path.join(__dirname, 'mstl_bg.wasm');
  if (existsSync(beside)) return beside;
  // A name in a variable: a bundler must not turn this lookup into a package needed at run time.
  const mstlModule = '@bsull/augurs/mstl';
  try {
    return path.join(path.dirname(require.resolve(mstlModule)), 'mstl_bg.wasm');
  } catch {
    throw new Error(`augurs' mstl_bg.wasm was found neither beside ${__dirname} nor in node_modules`);
  }
}

function init() {
  if (ready) return;
  initSync({ module: readFileSync(mstlWasmPath()) });
  ready = true;
}

/**
 * Fits augurs' MSTL (weekly seasonality removed by STL, the rest forecast by AutoETS) to a daily
 * series and forecasts `horizon` days. Sales are never negative, so forecasts and bounds are
 * floored at 0. Deterministic: the same series gives the same forecast.
 */
export function etsForecast(y: number[], horizon: number): Forecast {
  init();
  const model = MSTL.ets([SEASON]);
  try {
    model.fit(y);
    const f95 = model.predict(horizon, 0.95);
    const f80 = model.predict(horizon, 0.8);
    const floor = (v: number[] | undefined) => (v ?? f95.point).map((x) => Math.max(0, x));
    return {
      point: floor(f95.point),
      lo80: floor(f80.intervals?.lower),
      hi80: floor(f80.intervals?.upper),
      lo95: floor(f95.intervals?.lower),
      hi95: floor(f95.intervals?.upper),
    };
  } finally {
    model.free();
  }
}

/** Naive: every future day equals the last observed day. */
export function naiveForecast(y: number[], horizon: number): number[] {
  return new Array<number>(horizon).fill(y[y.length - 1] ?? 0);
}

/** Seasonal naive: every future day equals the same weekday of the last observed week. */
export function seasonalNaiveForecast(y: number[], horizon: number, season = SEASON): number[] {
  const start = y.length - season;
  return Array.from({ length: horizon }, (_, i) => y[start + (i % season)] ?? 0);
}
