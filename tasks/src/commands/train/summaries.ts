import type { ModelArtifacts } from '../../models/artifacts';
import { HORIZON, MAX_FOLDS } from '../../models/forecast';
import { featureTable } from '../../models/inputs';
import type { ModelRun } from '../../models/outputs';
import type { ReportInput } from '../../models/report';
import { FEATURES } from '../../models/segmentation';

/** The forecaster's name in the output tables. */
export const FORECAST_MODEL = 'augurs-mstl-ets';

const r4 = (v: number) => (Number.isFinite(v) ? Math.round(v * 10_000) / 10_000 : null);

/** marts.model_run rows: the forecast beats its baseline when total revenue beats seasonal-naive. */
export function modelRuns(r: ReportInput): ModelRun[] {
  const forecast: ModelRun = r.forecastSkipped
    ? { model: 'forecast', metrics: { skipped: r.forecastSkipped }, beatsBaseline: null }
    : {
        model: 'forecast',
        metrics: {
          series: r.forecasts.map((f) => ({
            series: f.series,
            metric: f.metric,
            folds: f.backtest.folds,
            mase: r4(f.backtest.model.mase),
            mape: r4(f.backtest.model.mape),
            coverage80: r4(f.backtest.model.coverage80),
            coverage95: r4(f.backtest.model.coverage95),
            naive_mase: r4(f.backtest.naive.mase),
            seasonal_naive_mase: r4(f.backtest.seasonalNaive.mase),
            seasonal_naive_mape: r4(f.backtest.seasonalNaive.mape),
            beats_seasonal_naive: f.backtest.beatsSeasonalNaive,
          })),
        },
        beatsBaseline:
          r.forecasts.find((f) => f.series === 'total' && f.metric === 'revenue')?.backtest.beatsSeasonalNaive ?? null,
      };
  const segments = r.segments.map((s): ModelRun => ({
    model: s.kind === 'customer' ? 'customer_segments' : 'product_segments',
    metrics: {
      members: s.keys.length,
      k: s.clustering.k,
      inertia: r4(s.clustering.inertia),
      silhouette_by_k: s.choice.silhouettes.map((x) => ({ k: x.k, silhouette: r4(x.silhouette) })),
      stability_mean_ari: r4(s.stability.meanAri),
      stability_min_ari: r4(s.stability.minAri),
    },
    beatsBaseline: null,
  }));
  return [forecast, ...segments];
}

/** The S3 artifacts of each model: params, metrics, feature schema, input snapshot. */
export function modelArtifacts(
  r: ReportInput,
  seed: number,
  gates: { suite: string; rows: number }[],
): ModelArtifacts[] {
  const runs = modelRuns(r);
  const input = {
    dataset: r.build.dataset,
    data_from: r.build.dtFrom,
    data_to: r.build.dtTo,
    fact_lines: r.build.factLines,
    realised_revenue: r.build.realisedRevenue,
    snapshot_id: r.build.snapshotId,
  };
  const forecast: ModelArtifacts = {
    name: 'forecast',
    params: {
      model: FORECAST_MODEL,
      seasonal_periods: [7],
      horizon: HORIZON,
      max_folds: MAX_FOLDS,
      fold_step_days: 7,
      intervals: [0.8, 0.95],
      skipped: r.forecastSkipped,
    },
    metrics: runs[0]!.metrics,
    featureSchema: {
      series: r.forecasts.map((f) => `${f.series}/${f.metric}`),
      source: [`${r.build.schema}.mart_sales_daily`, `${r.build.schema}.mart_category_daily`],
    },
    input,
  };
  const segs = r.segments.map((s, i): ModelArtifacts => ({
    name: runs[i + 1]!.model,
    params: {
      algorithm: 'k-means++ (ml-kmeans)',
      seed,
      k: s.clustering.k,
      k_range: [2, 10],
      restarts: 10,
      centroids: s.clustering.centroids,
      profiles: s.profiles.map((p) => ({ id: p.segmentId, name: p.name })),
    },
    metrics: runs[i + 1]!.metrics,
    featureSchema: {
      table: featureTable(s.kind, r.build.schema).table,
      suite: gates[i]?.suite,
      features: FEATURES[s.kind].map((f, j) => ({ name: f.name, log1p: f.log, mean: s.means[j], std: s.stds[j] })),
    },
    input,
  }));
  return [forecast, ...segs];
}
