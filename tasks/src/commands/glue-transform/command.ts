import type { Argv, CommandModule } from 'yargs';
import { parseIsoDate } from '../../dates';
import { checkDatasetId } from '../../source/dataset';
import type { GlobalArgs } from '../../runtime';

export interface GlueTransformArgs extends GlobalArgs {
  to?: string | undefined;
  dataset: string;
  workers?: number | undefined;
  workerType?: string | undefined;
  jobName?: string | undefined;
  maxQuarantineShare: number;
}

export const glueTransformCommand: CommandModule<GlobalArgs, GlueTransformArgs> = {
  command: 'glue-transform',
  describe:
    'Clean bronze order lines into silver Parquet + quarantine for a date (or --to a range): local Spark by default, AWS Glue with --profile aws',
  builder: (y) =>
    y
      .option('to', {
        type: 'string',
        describe: 'Last date of a range (inclusive), all dates in one Spark session / Glue run; default: only --dt',
        coerce: (v: string | undefined) => (v === undefined ? v : parseIsoDate(v)),
      })
      .option('dataset', {
        type: 'string',
        default: 'kaggle-sample',
        describe: 'Dataset partition to transform',
        coerce: checkDatasetId,
      })
      .option('workers', { type: 'number', describe: 'aws: Glue workers (min 2) [env GLUE_WORKERS, default 2]' })
      .option('worker-type', {
        type: 'string',
        choices: ['G.025X', 'G.1X', 'G.2X', 'G.4X', 'G.8X'],
        describe: 'aws: Glue worker type [env GLUE_WORKER_TYPE, default G.1X]',
      })
      .option('job-name', {
        type: 'string',
        describe: 'aws: Glue job name [env GLUE_JOB_NAME, default sales-pipeline-clean-order-lines]',
      })
      .option('max-quarantine-share', {
        type: 'number',
        default: 0.05,
        describe: "Exit 1 when more than this share (0..1) of a day's distinct rows is quarantined",
      })
      .check((a) => {
        const share = a['max-quarantine-share'] as number;
        if (!(share >= 0 && share <= 1)) throw new Error('--max-quarantine-share must be 0..1');
        if (a.to !== undefined && a.dt !== undefined && a.to < a.dt) throw new Error('--to must not be before --dt');
        return true;
      })
      // yargs types kebab-case flags under their kebab names only; the camelCase twins exist at run time.
      .demandOption('dt') as unknown as Argv<GlueTransformArgs>,
  handler: async (args) => {
    const { run } = await import('./index');
    await run(args);
  },
};
