import { createPool } from '../../clients/db';
import { createS3Client } from '../../clients/s3';
import { dateRange } from '../../dates';
import { writeArtifacts, reportUri, writeReport } from '../../models/artifacts';
import { MIN_DAYS } from '../../models/backtest';
import { forecastSeries, SeriesTooShortError, tooShortReason, type SeriesForecast } from '../../models/forecast';
import { featureTable, gateFeatures, readFeatures, readMartBuild, readSeries } from '../../models/inputs';
import { checkSchemaName } from '../../warehouse/model/migrations';
import { writeTables } from '../../models/outputs';
import { reportHtml, reportMarkdown } from '../../models/report';
import { segment, type SegmentationResult, type SegmentKind } from '../../models/segmentation';
import { runStep } from '../../runtime';
import type { TrainArgs } from './command';
import { FORECAST_MODEL, modelArtifacts, modelRuns } from './summaries';

/** train: gate the features, forecast, segment, then write the report, artifacts and tables. */
export async function run(args: TrainArgs) {
  return runStep(
    'train',
    args,
    async (ctx) => {
      const { config, logger } = ctx;
      const dt = args.dt!;
      ctx.result.result.dataset = args.dataset;
      const marts = checkSchemaName(args.martsSchema ?? 'marts');
      const pool = createPool(config, 2);
      const s3 = createS3Client(config);
      try {
        const build = await readMartBuild(pool, args.dataset, marts);
        const days = dateRange(build.dtFrom, build.dtTo).length;
        let skipped: string | null = null;
        if (days < MIN_DAYS) {
          skipped = tooShortReason(days, build.dtFrom, build.dtTo);
          if ((args.shortSeries ?? 'reject') === 'reject')
            throw new SeriesTooShortError(skipped, { details: { days, from: build.dtFrom, to: build.dtTo } });
          logger.warn({ days }, `forecast skipped: ${skipped}`);
        }
        const kinds: SegmentKind[] = ['customer', 'product'];
        const gates = [];
        for (const kind of kinds) {
          gates.push(await gateFeatures(pool, kind, args.dataset, build.dtTo, marts));
          ctx.result.input({ uri: `table:${featureTable(kind, marts).table}`, rows: gates.at(-1)!.rows });
        }
        const forecasts: SeriesForecast[] = [];
        if (!skipped) {
          for (const s of await readSeries(pool, build)) {
            ctx.throwIfStopped();
            forecasts.push(forecastSeries(s));
            logger.info(
              { series: s.series, metric: s.metric, beats: forecasts.at(-1)!.backtest.beatsSeasonalNaive },
              'series forecast',
            );
          }
        }
        const segments: SegmentationResult[] = [];
        for (const kind of kinds) {
          ctx.throwIfStopped();
          const { keys, rows } = await readFeatures(pool, kind, args.dataset, build.dtTo, marts);
          segments.push(segment(kind, keys, rows, args.seed));
          logger.info({ kind, members: keys.length, k: segments.at(-1)!.clustering.k }, 'segments trained');
        }
        const report = { dt, runId: config.runId, build, forecasts, forecastSkipped: skipped, segments };
        const bucket = config.s3.bucket;
        for (const o of await writeReport(s3, bucket, args.dataset, dt, reportMarkdown(report), reportHtml(report)))
          ctx.result.output(o);
        for (const a of modelArtifacts(report, args.seed, gates)) {
          for (const o of await writeArtifacts(s3, bucket, args.dataset, config.runId, a)) ctx.result.output(o);
        }
        const counts = await writeTables(pool, {
          schema: marts,
          dataset: args.dataset,
          runId: config.runId,
          trainedAt: new Date(),
          dataFrom: build.dtFrom,
          dataTo: build.dtTo,
          reportUri: reportUri(bucket, args.dataset, dt),
          forecasts,
          segments,
          runs: modelRuns(report),
          modelName: FORECAST_MODEL,
        });
        for (const [table, n] of Object.entries(counts)) ctx.result.count(table, n);
        Object.assign(ctx.result.result.details, {
          trainedOn: { dataset: args.dataset, from: build.dtFrom, to: build.dtTo, snapshotId: build.snapshotId },
          forecast: skipped ? `skipped: ${skipped}` : 'trained',
          runs: modelRuns(report),
          report: reportUri(bucket, args.dataset, dt),
        });
        logger.info({ counts, forecast: skipped ?? 'trained' }, 'models trained');
        return counts;
      } finally {
        s3.destroy();
        await pool.end();
      }
    },
    { writeResult: true },
  );
}
