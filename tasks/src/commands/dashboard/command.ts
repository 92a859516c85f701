import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../../runtime';

export interface DashboardArgs extends GlobalArgs {
  dataset: string;
  martsSchema?: string | undefined;
  out?: string | undefined;
  upload: boolean;
}

export const dashboardCommand: CommandModule<GlobalArgs, DashboardArgs> = {
  command: 'dashboard',
  describe:
    'Build the dashboards site (dashboards/, Observable Framework) from the marts of a dataset and upload it to reports/dashboard/',
  builder: (y) =>
    y
      .option('dataset', { type: 'string', default: 'kaggle-sample', describe: 'Dataset whose marts the site shows' })
      .option('marts-schema', {
        type: 'string',
        default: 'marts',
        describe: "Schema of the marts (the analysis step's --marts-schema)",
      })
      .option('out', {
        type: 'string',
        describe: 'Local folder of the built site [default .local/dashboard/dataset=<id>]',
      })
      .option('upload', {
        type: 'boolean',
        default: true,
        describe: 'Upload the site to s3://<bucket>/reports/dashboard/dataset=<id>/ (--no-upload: build only)',
      }),
  handler: async (args) => {
    const { run } = await import('./index');
    await run(args);
  },
};
