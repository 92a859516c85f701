import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../errors';
import { repoRoot } from '../../paths';

/** The QuickSight definitions, mirroring the site's pages: dashboards/quicksight/*.json. */
export const definitionsDir = path.join(repoRoot, 'dashboards', 'quicksight');

export interface Column {
  Name: string;
  Type: string;
}
export interface DataSetDef {
  DataSetId: string;
  Name: string;
  Table: string;
  SqlQuery: string;
  Columns: Column[];
}
export interface Definitions {
  dataSource: {
    DataSourceId: string;
    Name: string;
    Type: string;
    DataSourceParameters: Record<string, unknown>;
    Credentials: Record<string, unknown>;
    SslProperties: Record<string, unknown>;
  };
  dataSets: DataSetDef[];
  analysis: { AnalysisId: string; Name: string; Definition: Record<string, unknown> };
  dashboard: { DashboardId: string; Name: string; DashboardPublishOptions: Record<string, unknown> };
}

/** Values for the `${Name}` placeholders; `${DataSetArn:<id>}` is filled from the account. */
export interface Placeholders {
  accountId: string;
  region: string;
  vars: Record<string, string>;
}

const readJson = (dir: string, name: string) => JSON.parse(readFileSync(path.join(dir, name), 'utf8'));

export function loadDefinitions(dir = definitionsDir): Definitions {
  return {
    dataSource: readJson(dir, 'data-source.json'),
    dataSets: readJson(dir, 'datasets.json').DataSets,
    analysis: readJson(dir, 'analysis.json'),
    dashboard: readJson(dir, 'dashboard.json'),
  };
}

export const arnOf = (p: Placeholders, kind: string, id: string) =>
  `arn:aws:quicksight:${p.region}:${p.accountId}:${kind}/${id}`;

/**
 * Fills every `${...}` placeholder of a definition (deeply, in strings).
 * @throws ConfigError naming a placeholder that has no value.
 */
export function fill<T>(value: T, p: Placeholders): T {
  const text = JSON.stringify(value).replace(
    /\$\{([A-Za-z]+)(?::([a-z0-9-]+))?\}/g,
    (_m, name: string, id?: string) => {
      if (name === 'DataSetArn' && id) return arnOf(p, 'dataset', id);
      const v = p.vars[name];
      if (v === undefined) throw new ConfigError(`the QuickSight definitions need a value for \${${name}}`);
      return v.replace(/["\\]/g, (c) => `\\${c}`);
    },
  );
  return JSON.parse(text) as T;
}
