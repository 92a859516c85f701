import { createPool } from '../../clients/db';
import { runStep } from '../../runtime';
import { checkSchemaName, readMigrations } from '../../warehouse/model/migrations';
import { migrate } from '../../warehouse/model/migrate';
import { migrationsDir } from '../../warehouse/model/render-migrations';
import type { WarehouseMigrateArgs } from './command';

/** warehouse-migrate: brings the schema to the newest migration; refuses edited applied ones. */
export async function run(args: WarehouseMigrateArgs) {
  return runStep(
    'warehouse-migrate',
    args,
    async (ctx) => {
      const { config, logger } = ctx;
      const schema = checkSchemaName(args.schema ?? config.warehouse.schema);
      const dialect = config.profile === 'aws' ? 'redshift' : 'postgres';
      const dir = args.migrationsDir ?? migrationsDir(dialect);
      const files = readMigrations(dir);
      const pool = createPool(config, 1);
      try {
        const outcome = await migrate(pool, schema, files, {
          runId: config.runId,
          dryRun: args.dryRun ?? false,
          logger,
        });
        ctx.result.count('applied', outcome.applied.length).count('alreadyApplied', outcome.alreadyApplied);
        Object.assign(ctx.result.result.details, { schema, dialect, dir, ...outcome });
        if (!outcome.applied.length) ctx.result.set('unchanged');
        logger.info({ schema, ...outcome }, args.dryRun ? 'dry run: nothing applied' : 'schema is up to date');
        return outcome;
      } finally {
        await pool.end();
      }
    },
    { writeResult: true },
  );
}
