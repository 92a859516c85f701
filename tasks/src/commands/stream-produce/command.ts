import type { CommandModule } from 'yargs';
import { parseIsoDate } from '../../dates';
import type { GlobalArgs } from '../../runtime';

export interface StreamProduceArgs extends GlobalArgs {
  to?: string | undefined;
  dataset: string;
  source?: string[] | undefined;
  speed: number;
  force: boolean;
}

export const streamProduceCommand: CommandModule<GlobalArgs, StreamProduceArgs> = {
  command: 'stream-produce',
  describe: 'Replay the order lines of a date (or --to a range) from raw S3 objects onto Kafka, in event order',
  builder: (y) =>
    y
      .option('to', {
        type: 'string',
        describe: 'Last date of a range replay (inclusive); default: only --dt',
        coerce: (v: string | undefined) => (v === undefined ? v : parseIsoDate(v)),
      })
      .option('dataset', { type: 'string', default: 'kaggle-sample', describe: 'Dataset whose raw objects to replay' })
      .option('source', {
        type: 'string',
        array: true,
        describe: 'Raw object(s) as s3://bucket/key (default: every distinct raw object of the dataset)',
      })
      .option('speed', {
        type: 'number',
        default: 0,
        describe: 'Seconds one sales day takes to replay (real-time simulation); 0 = as fast as possible',
      })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'Publish a day again even if it was already produced from the same raw content',
      })
      .check((a) => {
        if (a.to !== undefined && a.dt !== undefined && a.to < a.dt) throw new Error('--to must not be before --dt');
        if (a.speed < 0) throw new Error('--speed must be >= 0');
        return true;
      })
      .demandOption('dt'),
  handler: async (args) => {
    const { run } = await import('./index');
    await run(args);
  },
};
