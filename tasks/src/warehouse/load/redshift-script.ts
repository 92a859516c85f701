import { redshift, redshiftCopySql } from '../dialects/redshift';
import {
  keyCheckSql,
  createLoadTableSql,
  dimensionSql,
  MEMBER_TABLES,
  memberColumnType,
  memberInsertSql,
  reconcileSql,
  replaceFactSql,
} from './statements';
import type { MemberTable } from './statements';

/**
 * Every statement one load of a (dataset, dt) sends on Redshift, in order (member INSERTs with
 * one row): `make sql-render` writes them to sql/load/ for reading and for CI's Redshift parser,
 * since the aws path has no cluster to run against. Bucket, object and role are examples.
 */
export function redshiftLoadScript(schema = 'sales'): string[] {
  const tables = Object.values(MEMBER_TABLES).map((m) => m.table);
  const lock = redshift.lockSql(schema);
  return [
    lock.text,
    ...redshift.dropTempSql(tables),
    ...Object.values(MEMBER_TABLES).map(({ table, columns }) =>
      redshift.createTempSql(table, columns.map((c) => `${c} ${memberColumnType(c)}`).join(', ')),
    ),
    createLoadTableSql(schema),
    redshiftCopySql(
      schema,
      'sales-pipeline',
      'warehouse/copy/dataset=kaggle-sample/dt=2022-04-30/run/part-',
      'arn:aws:iam::123456789012:role/redshift-copy',
    ),
    ...(Object.keys(MEMBER_TABLES) as MemberTable[]).map((t) => memberInsertSql(t, 1)),
    ...dimensionSql(schema),
    keyCheckSql(schema),
    'select pg_last_copy_count() as n',
    ...replaceFactSql(schema),
    reconcileSql(schema),
    ...redshift.dropTempSql(tables),
  ];
}
