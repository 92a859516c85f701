import { createPool } from '../../clients/db';
import { createS3Client } from '../../clients/s3';
import { ConfigError } from '../../errors';
import { runStep } from '../../runtime';
import { datesBetween } from '../../warehouse/calendar';
import { loadDate, type LoadOutcome } from '../../warehouse/load';
import { checkSchemaName } from '../../warehouse/migrations';
import type { WarehouseLoadArgs } from './command';

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
        dialect: aws ? ('redshift' as const) : ('postgres' as const),
        method: aws ? ('redshift-copy' as const) : (args.stageMethod ?? 'copy'),
        runId: config.runId,
        copyRoleArn: config.warehouse.copyRoleArn,
        logger,
        signal: ctx.signal,
      };
      try {
        for (const [i, dt] of dates.entries()) {
          ctx.throwIfStopped();
          const outcome = await loadDate(deps, args.dataset, dt);
          perDate[dt] = outcome;
          ctx.result.count('rows', outcome.rows).count('dates', 1);
          ctx.result.input({
            uri: `s3://${config.s3.bucket}/lake/silver/order_lines/dataset=${args.dataset}/dt=${dt}/`,
            rows: outcome.rows,
          });
          if (dates.length > 1) logger.info({ done: i + 1, of: dates.length, dt }, 'range progress');
        }
        ctx.result.output({ uri: `${schema}.fact_order_lines`, rows: ctx.result.result.counts.rows ?? 0 });
        return perDate;
      } finally {
        s3.destroy();
        await pool.end();
      }
    },
    { writeResult: true },
  );
}
