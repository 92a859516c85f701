import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../../runtime';
import { sampleSourceFile } from '../../paths';

export interface IngestRawArgs extends GlobalArgs {
  source: string;
  dataset?: string | undefined;
}

export const ingestRawCommand: CommandModule<GlobalArgs, IngestRawArgs> = {
  command: 'ingest-raw',
  describe: 'Upload a source CSV to raw/amazon_sale_report/dataset=<id>/ingest_date=<dt>/ with its sha256',
  builder: (y) =>
    y
      .option('source', {
        type: 'string',
        default: sampleSourceFile,
        defaultDescription: '../shared/data/amazon_sale_report_sample.csv',
        describe: 'Local CSV file in the source format',
      })
      .option('dataset', {
        type: 'string',
        describe: 'Dataset id (default: derived from the file name, e.g. kaggle-sample)',
      })
      .demandOption('dt'),
  handler: async (args) => {
    const { run } = await import('./index');
    await run(args);
  },
};
