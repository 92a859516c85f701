import type { CommandModule } from 'yargs';
import { parseIsoDate } from '../../dates';
import { checkDatasetId } from '../../source/dataset';
import type { GlobalArgs } from '../../runtime';

export interface WarehouseLoadArgs extends GlobalArgs {
  to?: string | undefined;
  dataset: string;
  schema?: string | undefined;
  stageMethod?: 'copy' | 'insert' | undefined;
}

export const warehouseLoadCommand: CommandModule<GlobalArgs, WarehouseLoadArgs> = {
  command: 'warehouse-load',
  describe:
    'Load the silver partition of a date (or --to a range, one transaction per date) into the star schema: ' +
    'stage, upsert dimensions, replace the fact partition, reconcile with silver',
  builder: (y) =>
    y
      .option('to', {
        type: 'string',
        describe: 'Last date of a range load (inclusive); each date is its own transaction',
        coerce: (v: string | undefined) => (v === undefined ? v : parseIsoDate(v)),
      })
      .option('dataset', {
        type: 'string',
        default: 'kaggle-sample',
        describe: 'Dataset whose silver partitions to load',
        coerce: checkDatasetId,
      })
      .option('schema', { type: 'string', describe: 'Target schema [env WAREHOUSE_SCHEMA, default sales]' })
      .option('stage-method', {
        type: 'string',
        choices: ['copy', 'insert'],
        describe:
          'local profile: copy = COPY FROM STDIN (default); insert = multi-row INSERT, the benchmark peer. ' +
          'The aws profile always uses Redshift COPY from S3',
      })
      .check((a) => {
        if (a.to !== undefined && a.dt !== undefined && a.to < a.dt) throw new Error('--to must not be before --dt');
        return true;
      })
      .demandOption('dt'),
  handler: async (args) => {
    const { run } = await import('./index');
    await run(args);
  },
};
