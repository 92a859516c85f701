import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../../runtime';

export interface WarehouseMigrateArgs extends GlobalArgs {
  schema?: string | undefined;
  migrationsDir?: string | undefined;
  dryRun?: boolean | undefined;
}

export const warehouseMigrateCommand: CommandModule<GlobalArgs, WarehouseMigrateArgs> = {
  command: 'warehouse-migrate',
  describe: 'Apply the versioned warehouse migrations (sql/migrations/<dialect>/) to the star schema',
  builder: (y) =>
    y
      .option('schema', { type: 'string', describe: 'Target schema [env WAREHOUSE_SCHEMA, default sales]' })
      .option('migrations-dir', {
        type: 'string',
        describe: 'Folder of V###__name.sql files [default sql/migrations/postgres, or redshift with --profile aws]',
      })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Only list what would be applied' }),
  handler: async (args) => {
    const { run } = await import('./index');
    await run(args);
  },
};
