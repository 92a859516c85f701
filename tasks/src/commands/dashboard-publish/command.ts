import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../../runtime';

export interface DashboardPublishArgs extends GlobalArgs {
  definitions?: string | undefined;
}

export const dashboardPublishCommand: CommandModule<GlobalArgs, DashboardPublishArgs> = {
  command: 'dashboard-publish',
  describe:
    'Create or update the QuickSight data source, data sets, analysis and dashboard (dashboards/quicksight/) and grant ' +
    'their permissions; --profile aws only. Needs QUICKSIGHT_ACCOUNT_ID, QUICKSIGHT_PRINCIPAL_ARN, QUICKSIGHT_SECRET_ARN',
  builder: (y) =>
    y.option('definitions', {
      type: 'string',
      describe: 'Folder of the JSON definitions [default dashboards/quicksight]',
    }),
  handler: async (args) => {
    const { run } = await import('./index');
    await run(args);
  },
};
