import type { CommandModule } from 'yargs';
import { parseIsoDate } from '../../dates';
import { ConfigError } from '../../errors';
import type { GlobalArgs } from '../../runtime';
import { DATASET_ID } from '../../source/dataset';

export interface AnalysisArgs extends GlobalArgs {
  to?: string | undefined;
  dataset: string;
  schema?: string | undefined;
  martsSchema?: string | undefined;
  report: boolean;
}

export const analysisCommand: CommandModule<GlobalArgs, AnalysisArgs> = {
  command: 'analysis',
  describe:
    "Rebuild a dataset's analysis marts and feature tables (sql/analysis/ -> marts.*) over its loaded days " +
    'and write the findings report for --dt (reports/analysis/dataset=<id>/dt=<dt>/)',
  builder: (y) =>
    y
      .option('to', {
        type: 'string',
        describe: 'Last day of the range this run answers for (default --dt); every day of --dt..--to must be loaded',
        coerce: (v: string | undefined) => (v === undefined ? v : parseIsoDate(v)),
      })
      .option('dataset', { type: 'string', default: 'kaggle-sample', describe: 'Dataset id whose marts to rebuild' })
      .option('schema', { type: 'string', describe: 'Warehouse schema with the facts [env WAREHOUSE_SCHEMA, default sales]' })
      .option('marts-schema', { type: 'string', default: 'marts', describe: 'Schema of the marts' })
      .option('report', { type: 'boolean', default: true, describe: 'Write the findings report (--no-report skips it)' })
      // ConfigError, not Error: the CLI's boundary maps it to exit 2 (usage), a plain Error to 3.
      .check((a) => {
        if (a.to !== undefined && a.dt !== undefined && a.to < a.dt) {
          throw new ConfigError(`empty date range: --to ${a.to} is before --dt ${a.dt}`);
        }
        if (!DATASET_ID.test(a.dataset)) throw new ConfigError(`--dataset "${a.dataset}" must match ${DATASET_ID}`);
        return true;
      })
      .demandOption('dt'),
  handler: async (args) => {
    const { run } = await import('./index');
    await run(args);
  },
};
