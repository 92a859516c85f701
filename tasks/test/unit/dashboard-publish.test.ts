import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { publishOptions } from '../../src/commands/dashboard-publish/index';
import { fill, loadDefinitions } from '../../src/dashboards/quicksight/definitions';
import { ACTIONS, publish, type Sender } from '../../src/dashboards/quicksight/publish';
import { ConfigError } from '../../src/errors';
import { repoRoot } from '../../src/paths';

const options = {
  accountId: '123456789012',
  region: 'ap-south-1',
  principalArn: 'arn:aws:quicksight:ap-south-1:123456789012:group/default/analysts',
  vars: {
    WarehouseHost: 'wh.example.ap-south-1.redshift.amazonaws.com',
    WarehousePort: '5439',
    WarehouseDatabase: 'warehouse',
    WarehouseSchema: 'sales',
    WarehouseSecretArn: 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:qs-login',
  },
};

/** Records every request; a Describe* of an id not in `existing` fails as QuickSight does. */
class Recorder implements Sender {
  readonly calls: { command: string; input: Record<string, unknown> }[] = [];
  constructor(private readonly existing: Set<string>) {}
  async send(command: { input: unknown }) {
    const name = command.constructor.name.replace(/Command$/, '');
    const input = command.input as Record<string, unknown>;
    this.calls.push({ command: name, input });
    const id = String(input.DataSourceId ?? input.DataSetId ?? input.AnalysisId ?? input.DashboardId);
    if (name.startsWith('Describe') && !this.existing.has(id)) {
      throw Object.assign(new Error(`${id} not found`), { name: 'ResourceNotFoundException' });
    }
    if (name === 'UpdateDashboard')
      return { VersionArn: `arn:aws:quicksight:ap-south-1:123456789012:dashboard/${id}/version/7` };
    return {};
  }
}

const defs = loadDefinitions();
const allIds = [
  defs.dataSource.DataSourceId,
  ...defs.dataSets.map((d) => d.DataSetId),
  defs.analysis.AnalysisId,
  defs.dashboard.DashboardId,
];

describe('dashboard-publish', () => {
  it('creates what is missing: describe, create, then permissions, data source first and dashboard last', async () => {
    const client = new Recorder(new Set());
    const outcomes = await publish(client, defs, options);
    expect(outcomes.every((o) => o.action === 'created')).toBe(true);
    const names = client.calls.map((c) => c.command);
    expect(names.slice(0, 3)).toEqual(['DescribeDataSource', 'CreateDataSource', 'UpdateDataSourcePermissions']);
    expect(names.slice(-3)).toEqual(['DescribeDashboard', 'CreateDashboard', 'UpdateDashboardPermissions']);
    expect(names.filter((n) => n === 'CreateDataSet')).toHaveLength(defs.dataSets.length);
    const source = client.calls[1]!.input;
    expect(source).toEqual({
      AwsAccountId: '123456789012',
      DataSourceId: 'sales-pipeline-warehouse',
      Name: 'Sales pipeline warehouse (Redshift)',
      Type: 'REDSHIFT',
      DataSourceParameters: {
        RedshiftParameters: { Host: options.vars.WarehouseHost, Port: '5439', Database: 'warehouse' },
      },
      Credentials: { SecretArn: options.vars.WarehouseSecretArn },
      SslProperties: { DisableSsl: false },
    });
    const set = client.calls.find(
      (c) => c.command === 'CreateDataSet' && c.input.DataSetId === 'sales-pipeline-load-audit',
    )!;
    expect(set.input).toMatchObject({
      ImportMode: 'DIRECT_QUERY',
      PhysicalTableMap: {
        mart: {
          CustomSql: {
            DataSourceArn: 'arn:aws:quicksight:ap-south-1:123456789012:datasource/sales-pipeline-warehouse',
            SqlQuery: expect.stringMatching(/ from sales\.load_audit$/),
          },
        },
      },
    });
    const grant = client.calls.find((c) => c.command === 'UpdateDashboardPermissions')!.input;
    expect(grant).toEqual({
      AwsAccountId: '123456789012',
      DashboardId: 'sales-pipeline',
      GrantPermissions: [{ Principal: options.principalArn, Actions: ACTIONS.dashboard }],
    });
    expect(JSON.stringify(client.calls)).not.toContain('${');
  });

  it('updates what exists (and publishes the new dashboard version); a re-run sends the same requests', async () => {
    const first = new Recorder(new Set(allIds));
    const outcomes = await publish(first, defs, options);
    expect(outcomes.every((o) => o.action === 'updated')).toBe(true);
    const names = first.calls.map((c) => c.command);
    expect(names.some((n) => n.startsWith('Create'))).toBe(false);
    expect(names.slice(-4)).toEqual([
      'DescribeDashboard',
      'UpdateDashboard',
      'UpdateDashboardPublishedVersion',
      'UpdateDashboardPermissions',
    ]);
    expect(first.calls.at(-2)!.input).toEqual({
      AwsAccountId: '123456789012',
      DashboardId: 'sales-pipeline',
      VersionNumber: 7,
    });
    const second = new Recorder(new Set(allIds));
    await publish(second, defs, options);
    expect(second.calls).toEqual(first.calls);
  });

  it('passes any other describe failure through instead of creating over it', async () => {
    const client: Sender = {
      send: async () => {
        throw Object.assign(new Error('not authorised'), { name: 'AccessDeniedException' });
      },
    };
    await expect(publish(client, defs, options)).rejects.toThrow('not authorised');
  });

  it('refuses the local profile (exit 2) and names every missing setting under aws', () => {
    const local = loadConfig({ profile: 'local' }, { SALES_PIPELINE_ENV_FILE: '/nonexistent' }, 'r');
    expect(() => publishOptions(local, {})).toThrow(/only with --profile aws/);
    expect(() => publishOptions(local, {})).toThrow(ConfigError);
    const aws = loadConfig({ profile: 'aws' }, { PGHOST: 'wh.example' }, 'r');
    const error = (() => {
      try {
        publishOptions(aws, { QUICKSIGHT_ACCOUNT_ID: '12' });
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error?.message).toMatch(/QUICKSIGHT_ACCOUNT_ID must be the 12-digit AWS account id, got "12"/);
    expect(error?.message).toMatch(/QUICKSIGHT_PRINCIPAL_ARN/);
    expect(error?.message).toMatch(/QUICKSIGHT_SECRET_ARN/);
  });

  it('names a placeholder that has no value', () => {
    expect(() => fill({ a: '${Nope}' }, options)).toThrow('${Nope}');
  });
});

describe('QuickSight definitions', () => {
  const ddl = readFileSync(path.join(repoRoot, 'sql/marts/create_marts.sql'), 'utf8');
  const martColumns = (table: string) => {
    const body = new RegExp(`create table if not exists ${table} \\((.*?)\\n\\);`, 's').exec(ddl)?.[1] ?? '';
    return body
      .split('\n')
      .map((l) => l.split('--')[0]!.trim())
      .filter(Boolean)
      .map((l) => l.split(/\s+/)[0]);
  };

  it('query each mart with exactly the columns sql/marts/create_marts.sql gives it', () => {
    const marts = defs.dataSets.filter((d) => d.Table.startsWith('marts.mart_'));
    expect(marts.length).toBeGreaterThan(10);
    for (const d of marts) {
      const table = d.Table.slice('marts.'.length);
      expect([table, d.Columns.map((c) => c.Name)]).toEqual([table, martColumns(table)]);
      expect(d.SqlQuery).toBe(`select ${d.Columns.map((c) => c.Name).join(', ')} from ${d.Table}`);
    }
  });

  it("mirror the site's pages, and every visual reads a declared data set's own columns", () => {
    const def = defs.analysis.Definition as {
      Sheets: { Name: string }[];
      DataSetIdentifierDeclarations: { Identifier: string; DataSetArn: string }[];
    };
    expect(def.Sheets.map((s) => s.Name)).toEqual(['Overview', 'Sales', 'Customers', 'Products', 'Data quality']);
    const declared = new Map(def.DataSetIdentifierDeclarations.map((d) => [d.Identifier, d.DataSetArn]));
    const columns = new Map(defs.dataSets.map((d) => [d.DataSetId, new Set(d.Columns.map((c) => c.Name))]));
    const refs = [...JSON.stringify(def.Sheets).matchAll(/"DataSetIdentifier":"(\w+)","ColumnName":"(\w+)"/g)];
    expect(refs.length).toBeGreaterThan(30);
    for (const [, identifier, column] of refs) {
      const arn = declared.get(identifier!);
      expect(arn).toBeDefined();
      const id = /\$\{DataSetArn:([a-z0-9-]+)\}/.exec(arn!)![1]!;
      expect([identifier, column, columns.get(id)?.has(column!)]).toEqual([identifier, column, true]);
    }
  });
});
