import {
  CreateAnalysisCommand,
  CreateDashboardCommand,
  CreateDataSetCommand,
  CreateDataSourceCommand,
  DescribeAnalysisCommand,
  DescribeDashboardCommand,
  DescribeDataSetCommand,
  DescribeDataSourceCommand,
  UpdateAnalysisCommand,
  UpdateAnalysisPermissionsCommand,
  UpdateDashboardCommand,
  UpdateDashboardPermissionsCommand,
  UpdateDashboardPublishedVersionCommand,
  UpdateDataSetCommand,
  UpdateDataSetPermissionsCommand,
  UpdateDataSourceCommand,
  UpdateDataSourcePermissionsCommand,
} from '@aws-sdk/client-quicksight';
import type { Logger } from '../../logger';
import { arnOf, fill, type Definitions, type Placeholders } from './definitions';

/** What the publisher needs of a QuickSight client (the SDK client, or a recorder in tests). */
export interface Sender {
  send(command: { input: unknown }): Promise<unknown>;
}

const q = (a: string) => `quicksight:${a}`;
/** The owner's actions on each kind of resource (QuickSight's documented full-access sets). */
export const ACTIONS = {
  dataSource: [
    'DescribeDataSource',
    'DescribeDataSourcePermissions',
    'PassDataSource',
    'UpdateDataSource',
    'DeleteDataSource',
    'UpdateDataSourcePermissions',
  ].map(q),
  dataSet: [
    'DescribeDataSet',
    'DescribeDataSetPermissions',
    'PassDataSet',
    'DescribeIngestion',
    'ListIngestions',
    'UpdateDataSet',
    'DeleteDataSet',
    'CreateIngestion',
    'CancelIngestion',
    'UpdateDataSetPermissions',
  ].map(q),
  analysis: [
    'RestoreAnalysis',
    'UpdateAnalysisPermissions',
    'DeleteAnalysis',
    'DescribeAnalysisPermissions',
    'QueryAnalysis',
    'DescribeAnalysis',
    'UpdateAnalysis',
  ].map(q),
  dashboard: [
    'DescribeDashboard',
    'ListDashboardVersions',
    'UpdateDashboardPermissions',
    'QueryDashboard',
    'UpdateDashboard',
    'DeleteDashboard',
    'DescribeDashboardPermissions',
    'UpdateDashboardPublishedVersion',
  ].map(q),
};

export interface PublishOptions extends Placeholders {
  principalArn: string;
}

export type Outcome = { kind: string; id: string; action: 'created' | 'updated' };

/** Describe: true when the resource exists; a ResourceNotFoundException means it does not. */
async function exists(client: Sender, command: { input: unknown }): Promise<boolean> {
  try {
    await client.send(command);
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return false;
    throw error;
  }
}

/**
 * Creates or updates the data source, the data sets, the analysis and the dashboard, in that
 * order (each refers to the one before), then grants the principal its permissions on each.
 * Idempotent: a second run describes, finds, updates and grants the same.
 */
export async function publish(client: Sender, defs: Definitions, o: PublishOptions, logger?: Logger) {
  const AwsAccountId = o.accountId;
  const grant = (actions: string[]) => ({ GrantPermissions: [{ Principal: o.principalArn, Actions: actions }] });
  const outcomes: Outcome[] = [];
  const done = (kind: string, id: string, found: boolean) => {
    outcomes.push({ kind, id, action: found ? 'updated' : 'created' });
    logger?.info({ kind, id, action: found ? 'updated' : 'created' }, 'QuickSight resource published');
  };

  const ds = fill(defs.dataSource, o);
  const dsInput = {
    AwsAccountId,
    DataSourceId: ds.DataSourceId,
    Name: ds.Name,
    DataSourceParameters: ds.DataSourceParameters,
    Credentials: ds.Credentials,
    SslProperties: ds.SslProperties,
  };
  const dsFound = await exists(client, new DescribeDataSourceCommand({ AwsAccountId, DataSourceId: ds.DataSourceId }));
  await client.send(
    dsFound
      ? new UpdateDataSourceCommand(dsInput as never)
      : new CreateDataSourceCommand({ ...dsInput, Type: ds.Type } as never),
  );
  await client.send(
    new UpdateDataSourcePermissionsCommand({
      AwsAccountId,
      DataSourceId: ds.DataSourceId,
      ...grant(ACTIONS.dataSource),
    }),
  );
  done('data-source', ds.DataSourceId, dsFound);
  const DataSourceArn = arnOf(o, 'datasource', ds.DataSourceId);

  for (const set of defs.dataSets.map((d) => fill(d, o))) {
    const input = {
      AwsAccountId,
      DataSetId: set.DataSetId,
      Name: set.Name,
      ImportMode: 'DIRECT_QUERY' as const,
      PhysicalTableMap: {
        mart: { CustomSql: { DataSourceArn, Name: set.Table, SqlQuery: set.SqlQuery, Columns: set.Columns } },
      },
    };
    const found = await exists(client, new DescribeDataSetCommand({ AwsAccountId, DataSetId: set.DataSetId }));
    await client.send(found ? new UpdateDataSetCommand(input as never) : new CreateDataSetCommand(input as never));
    await client.send(
      new UpdateDataSetPermissionsCommand({ AwsAccountId, DataSetId: set.DataSetId, ...grant(ACTIONS.dataSet) }),
    );
    done('data-set', set.DataSetId, found);
  }

  const analysis = fill(defs.analysis, o);
  const aInput = {
    AwsAccountId,
    AnalysisId: analysis.AnalysisId,
    Name: analysis.Name,
    Definition: analysis.Definition,
  };
  const aFound = await exists(client, new DescribeAnalysisCommand({ AwsAccountId, AnalysisId: analysis.AnalysisId }));
  await client.send(aFound ? new UpdateAnalysisCommand(aInput as never) : new CreateAnalysisCommand(aInput as never));
  await client.send(
    new UpdateAnalysisPermissionsCommand({ AwsAccountId, AnalysisId: analysis.AnalysisId, ...grant(ACTIONS.analysis) }),
  );
  done('analysis', analysis.AnalysisId, aFound);

  // The dashboard publishes the analysis' definition (the same sheets and visuals).
  const board = fill(defs.dashboard, o);
  const bInput = {
    AwsAccountId,
    DashboardId: board.DashboardId,
    Name: board.Name,
    Definition: analysis.Definition,
    DashboardPublishOptions: board.DashboardPublishOptions,
  };
  const bFound = await exists(client, new DescribeDashboardCommand({ AwsAccountId, DashboardId: board.DashboardId }));
  if (bFound) {
    const updated = (await client.send(new UpdateDashboardCommand(bInput as never))) as { VersionArn?: string };
    const version = Number(/\/version\/(\d+)$/.exec(updated.VersionArn ?? '')?.[1]);
    if (version) {
      await client.send(
        new UpdateDashboardPublishedVersionCommand({
          AwsAccountId,
          DashboardId: board.DashboardId,
          VersionNumber: version,
        }),
      );
    }
  } else {
    await client.send(new CreateDashboardCommand(bInput as never));
  }
  await client.send(
    new UpdateDashboardPermissionsCommand({
      AwsAccountId,
      DashboardId: board.DashboardId,
      ...grant(ACTIONS.dashboard),
    }),
  );
  done('dashboard', board.DashboardId, bFound);
  return outcomes;
}
