import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../../runtime';
import { sampleSourceFile } from '../../paths';
import { checkDatasetId, checkNotFlag } from '../../source/dataset';

export interface IngestRawArgs extends GlobalArgs {
  source: string;
  dataset?: string | undefined;
  headerMap?: string | undefined;
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
        describe: 'Local CSV file in the source format (pass it as --source=<path>)',
        coerce: (v: string) => checkNotFlag('--source', v),
      })
      .option('dataset', {
        type: 'string',
        describe: 'Dataset id (default: derived from the file name, e.g. kaggle-sample)',
        coerce: (v: string | undefined) => (v === undefined ? v : checkDatasetId(v)),
      })
      .option('header-map', {
        type: 'string',
        describe:
          'JSON file mapping renamed header names to the source columns, e.g. {"SalesChannel": "Sales Channel "}: ' +
          'the raw object is stored with the source header (pass it as --header-map=<path>)',
        coerce: (v: string | undefined) => (v === undefined ? v : checkNotFlag('--header-map', v)),
      })
      .demandOption('dt'),
  handler: async (args) => {
    const { run } = await import('./index');
    await run(args);
  },
};
