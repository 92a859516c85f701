import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../../runtime';

export interface TrainArgs extends GlobalArgs {
  dataset: string;
  seed: number;
  shortSeries?: 'reject' | 'skip' | undefined;
  martsSchema?: string | undefined;
}

export const trainCommand: CommandModule<GlobalArgs, TrainArgs> = {
  command: 'train',
  describe:
    'Forecast daily realised revenue and units (14 days, 80/95% intervals, backtested against naive baselines) ' +
    'and segment customers and products (k-means), from the marts of the analysis step',
  builder: (y) =>
    y
      .option('dataset', { type: 'string', default: 'kaggle-sample', describe: 'Dataset id whose marts to train on' })
      .option('marts-schema', {
        type: 'string',
        default: 'marts',
        describe: "Schema of the analysis step's marts (its --marts-schema); the model tables are written there too",
      })
      .option('seed', { type: 'number', default: 42, describe: 'Seed of k-means++ (same seed, same segments)' })
      .option('short-series', {
        type: 'string',
        choices: ['reject', 'skip'] as const,
        default: 'reject' as const,
        describe:
          'A series shorter than 21 days (three weekly seasons): reject exits 1; skip records the forecast as ' +
          'skipped and still trains the segments (the daily DAG over the 4-day sample uses skip)',
      })
      .demandOption('dt'),
  handler: async (args) => {
    const { run } = await import('./index');
    await run(args);
  },
};
