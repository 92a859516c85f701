import type { Argv, CommandModule } from 'yargs';
import { parseIsoDate } from '../../dates';
import { checkDatasetId } from '../../source/dataset';
import { ORDER_LINES_DLQ, ORDER_LINES_TOPIC } from '../../events/order-line';
import type { GlobalArgs } from '../../runtime';
import type { Compression } from './publisher';

/** A raw object URI as --source takes it. @throws Error (usage, exit 2) for anything else. */
function checkRawUri(uri: string): string {
  if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,62}\/\P{Cc}+$/u.test(uri)) {
    throw new Error(
      `--source must be s3://bucket/key (pass it as --source=<uri>), got ${JSON.stringify(uri.slice(0, 80))}`,
    );
  }
  return uri;
}

export interface StreamProduceArgs extends GlobalArgs {
  to?: string | undefined;
  dataset: string;
  source?: string[] | undefined;
  speed: number;
  commitSeconds: number;
  force: boolean;
  topic: string;
  dlqTopic: string;
  compression: Compression;
  gzipLevel: number;
  batchBytes: number;
  spillDir?: string | undefined;
  maxDeadLetterShare: number;
}

export const streamProduceCommand: CommandModule<GlobalArgs, StreamProduceArgs> = {
  command: 'stream-produce',
  describe:
    'Replay the order lines of a date (or --to a range) from raw S3 objects onto Kafka (source order; date order with --speed)',
  builder: (y) =>
    y
      .option('to', {
        type: 'string',
        describe: 'Last date of a range replay (inclusive); default: only --dt',
        coerce: (v: string | undefined) => (v === undefined ? v : parseIsoDate(v)),
      })
      .option('dataset', {
        type: 'string',
        default: 'kaggle-sample',
        describe: 'Dataset whose raw objects to replay',
        coerce: checkDatasetId,
      })
      .option('source', {
        type: 'string',
        array: true,
        describe: 'Raw object(s) as s3://bucket/key (default: every distinct raw object of the dataset)',
        coerce: (v: string[] | undefined) => v?.map(checkRawUri),
      })
      .option('speed', {
        type: 'number',
        default: 0,
        describe: 'Seconds one sales day takes to replay (real-time simulation); 0 = as fast as possible',
      })
      .option('commit-seconds', {
        type: 'number',
        default: 10,
        describe: 'Seconds between Kafka transaction commits (a re-run after a crash resumes at the last one)',
      })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'Publish a day again even if it was already produced from the same raw content',
      })
      .option('topic', { type: 'string', default: ORDER_LINES_TOPIC, describe: 'Topic of the order-line events' })
      .option('dlq-topic', { type: 'string', default: ORDER_LINES_DLQ, describe: 'Dead-letter topic' })
      .option('compression', {
        type: 'string',
        choices: ['gzip', 'none'] as const,
        default: 'gzip' as Compression,
        describe: 'Batch compression (kafkajs has gzip built in; see docs/ingest.md for the measurements)',
      })
      .option('gzip-level', {
        type: 'number',
        default: 1,
        describe: 'gzip level 1 (fastest) to 9 (smallest); 1 costs half the CPU of zlib default 6 for ~35% more bytes',
      })
      .option('batch-bytes', {
        type: 'number',
        default: 768 * 1024,
        describe: 'Uncompressed bytes per partition batch (keep under the broker message.max.bytes, 1 MiB)',
      })
      .option('spill-dir', {
        type: 'string',
        describe:
          'Local folder for the per-day spill files of a paced replay (--speed; default: the system temp folder)',
      })
      .option('max-dead-letter-share', {
        type: 'number',
        default: 0.05,
        describe: "Exit 1 when more than this share (0..1) of a day's rows are dead-lettered",
      })
      .check((a) => {
        if (a.to !== undefined && a.dt !== undefined && a.to < a.dt) throw new Error('--to must not be before --dt');
        if (a.speed < 0) throw new Error('--speed must be >= 0');
        if (!((a['commit-seconds'] as number) > 0)) throw new Error('--commit-seconds must be > 0');
        const share = a['max-dead-letter-share'] as number;
        if (!(share >= 0 && share <= 1)) throw new Error('--max-dead-letter-share must be 0..1');
        if (!((a['batch-bytes'] as number) >= 1024)) throw new Error('--batch-bytes must be >= 1024');
        const level = a['gzip-level'] as number;
        if (!(Number.isInteger(level) && level >= 1 && level <= 9)) throw new Error('--gzip-level must be 1..9');
        return true;
      })
      // yargs types kebab-case flags under their kebab names only; the camelCase twins exist at run time.
      .demandOption('dt') as unknown as Argv<StreamProduceArgs>,
  handler: async (args) => {
    const { run } = await import('./index');
    await run(args);
  },
};
