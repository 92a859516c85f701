import { createPool } from '../../clients/db';
import { createS3Client } from '../../clients/s3';
import { ConfigError } from '../../errors';
import { runStep } from '../../runtime';
import { datesBetween } from '../../warehouse/model/calendar';
import { postgres } from '../../warehouse/dialects/postgres';
import { redshift } from '../../warehouse/dialects/redshift';
import { loadDate, openDay, type LoadOutcome } from '../../warehouse/load/load';
import type { SilverDay } from '../../warehouse/silver/day';
import { checkSchemaName } from '../../warehouse/model/migrations';
import { checkSilverDays } from '../../warehouse/load/precheck';
import type { WarehouseLoadArgs } from './command';

/** Lines of the next day decoded ahead of its load at most (~100 bytes a line: tens of MB). */
const READ_AHEAD_ROWS = 200_000;

/** warehouse-load: one silver partition per date into the star schema, each in one transaction. */
export async function run(args: WarehouseLoadArgs) {
  return runStep(
    'warehouse-load',
    args,
    async (ctx) => {
      const { config, logger } = ctx;
      const schema = checkSchemaName(args.schema ?? config.warehouse.schema);
      const aws = config.profile === 'aws';
      if (aws && args.stageMethod) throw new ConfigError('--stage-method applies to the local profile only');
      const dates = datesBetween(args.dt!, args.to ?? args.dt!);
      ctx.result.result.dataset = args.dataset;
      const perDate: Record<string, LoadOutcome> = {};
      ctx.result.result.details.perDate = perDate;
      Object.assign(ctx.result.result.details, { schema, dates: dates.length });
      // Two connections: the load's transaction, and one to cancel its statement on SIGTERM.
      const pool = createPool(config, 2);
      const s3 = createS3Client(config);
      const deps = {
        pool,
        s3,
        bucket: config.s3.bucket,
        schema,
        dialect: aws ? redshift : postgres,
        method: aws ? ('redshift-copy' as const) : (args.stageMethod ?? 'copy'),
        runId: config.runId,
        copyRoleArn: config.warehouse.copyRoleArn,
        logger,
        signal: ctx.signal,
        calendarYears: new Set<number>(),
      };
      // Every date is checked before any is loaded: a gap names its cause and commits nothing.
      await checkSilverDays(s3, config.s3.bucket, args.dataset, dates, ctx.signal).catch(async (error: unknown) => {
        s3.destroy();
        await pool.end();
        throw error;
      });
      const cpu = process.cpuUsage();
      // The next day decodes while this day's SQL runs (bounded: at most this many lines ahead).
      let next: SilverDay | undefined;
      try {
        for (const [i, dt] of dates.entries()) {
          ctx.throwIfStopped();
          const day = next ?? openDay(deps, args.dataset, dt);
          next = undefined;
          const following = dates[i + 1];
          const afterStage = () => {
            if (!following) return;
            next = openDay(deps, args.dataset, following);
            next.prefetch(READ_AHEAD_ROWS);
          };
          const outcome = await loadDate({ ...deps, afterStage }, args.dataset, dt, day);
          perDate[dt] = outcome;
          ctx.result.count('rows', outcome.rows).count('dates', 1);
          ctx.result.input({
            uri: `s3://${config.s3.bucket}/lake/silver/order_lines/dataset=${args.dataset}/dt=${dt}/`,
            rows: outcome.rows,
          });
          if (dates.length > 1) logger.info({ done: i + 1, of: dates.length, dt }, 'range progress');
        }
        ctx.result.output({ uri: `${schema}.fact_order_lines`, rows: ctx.result.result.counts.rows ?? 0 });
        const used = process.cpuUsage(cpu);
        ctx.result.result.details.cpuMs = {
          user: Math.round(used.user / 1000),
          system: Math.round(used.system / 1000),
        };
        return perDate;
      } finally {
        await next?.cancel();
        s3.destroy();
        await pool.end();
      }
    },
    { writeResult: true },
  );
}
