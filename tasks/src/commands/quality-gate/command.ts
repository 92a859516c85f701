import type { CommandModule } from 'yargs';
import { parseIsoDate } from '../../dates';
import { checkDatasetId, checkNotFlag } from '../../source/dataset';
import type { GlobalArgs } from '../../runtime';

export interface QualityGateArgs extends GlobalArgs {
  suite: string;
  to?: string | undefined;
  dataset: string;
  source?: string | undefined;
  mail: boolean;
  history: boolean;
}

export const qualityGateCommand: CommandModule<GlobalArgs, QualityGateArgs> = {
  command: 'quality-gate',
  describe: 'Validate a date partition against a Great Expectations-format suite; report, quarantine, mail on failure',
  builder: (y) =>
    y
      .option('suite', {
        type: 'string',
        demandOption: true,
        describe: 'Suite name (expectations/<name>.json) or a path to a suite file',
      })
      .option('to', {
        type: 'string',
        describe: 'Last date of a range (inclusive): each date is validated and reported on its own',
        coerce: (v: string | undefined) => (v === undefined ? v : parseIsoDate(v)),
      })
      .option('dataset', {
        type: 'string',
        default: 'kaggle-sample',
        describe: 'Dataset id (a path partition)',
        coerce: checkDatasetId,
      })
      .option('source', {
        type: 'string',
        describe:
          's3://bucket/prefix/ | table:<schema.table> | file://<path> | reconcile: ' +
          "(default: the suite's meta.source, with {bucket}, {dataset} and {dt} filled in)",
        coerce: (v: string | undefined) => (v === undefined ? v : checkNotFlag('--source', v)),
      })
      .option('mail', { type: 'boolean', default: true, describe: 'Mail the summary and report when the gate fails' })
      .option('history', {
        type: 'boolean',
        default: true,
        describe: 'Record one row per expectation in the warehouse table quality.dq_results',
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
