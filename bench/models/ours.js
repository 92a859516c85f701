// Our side of `make bench-models`: the train step's own library code (tasks/dist/models) on the
// bench input. Reads the input JSON (bench/models/inputs.py), prints one JSON result.
// Usage: node bench/models/ours.js <input.json>
const { readFileSync } = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', '..', 'tasks', 'dist', 'models');
const { backtest, rollingOrigins } = require(path.join(dist, 'backtest'));
const { chooseK } = require(path.join(dist, 'kmeans'));
const { standardise } = require(path.join(dist, 'standardise'));
const { FEATURES } = require(path.join(dist, 'segmentation'));

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let t = process.hrtime.bigint();
const secondsSince = (start) => Number(process.hrtime.bigint() - start) / 1e9;

const folds = rollingOrigins(input.series, 14, 8);
const bt = backtest(folds, 14);
const forecastSeconds = secondsSince(t);

const specs = FEATURES.customer;
const z = standardise(
  input.features.map((r) => specs.map((s) => r[s.name])),
  specs,
);
t = process.hrtime.bigint();
const { best, silhouettes } = chooseK(z.matrix, 42);
const kmeansSeconds = secondsSince(t);

process.stdout.write(
  JSON.stringify({
    forecast: { folds: bt.folds, mase: bt.model.mase, seasonal_naive_mase: bt.seasonalNaive.mase, seconds: forecastSeconds },
    kmeans: { k: best.k, inertia: best.inertia, labels: best.labels, silhouettes, seconds: kmeansSeconds, matrix: z.matrix },
  }),
);
