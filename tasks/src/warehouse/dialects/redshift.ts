import { createGzip } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ConfigError } from '../../errors';
import { FACT_COLUMNS } from '../load/lines';
import { bind, LOAD_TABLE, replaceFactSql } from '../load/statements';
import type { LoadDialect } from './dialect';

/** Literal inside single quotes (COPY's S3 URI and role cannot be bound parameters). */
const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** S3 key of the day's rows as the loader hands them to Redshift's COPY. */
export function copyObjectKey(dataset: string, dt: string, runId: string): string {
  return `warehouse/copy/dataset=${dataset}/dt=${dt}/${runId.replace(/[^A-Za-z0-9._=-]/g, '_')}.tsv.gz`;
}

/** The COPY of the aws profile: the same text PostgreSQL reads from STDIN, gzipped in S3. */
export function redshiftCopySql(schema: string, bucket: string, key: string, roleArn: string): string {
  return (
    `copy ${schema}.${LOAD_TABLE} (${FACT_COLUMNS.join(', ')}) from ${quote(`s3://${bucket}/${key}`)} ` +
    `iam_role ${quote(roleArn)} delimiter '\\t' escape gzip`
  );
}

/**
 * Redshift (the aws profile). Temporary tables live as long as the session, so the load drops
 * its own before and after; the lock is a table lock (no advisory locks); the day's rows reach
 * the cluster as one gzipped object in S3; the new fact table is published by replacing the
 * (dataset, dt) rows, the statements PostgreSQL also runs on a month-partitioned warehouse.
 */
export const redshift: LoadDialect = {
  name: 'redshift',
  sessionSql: () => [],
  lockSql: (schema) => ({ text: `lock ${schema}.load_audit`, values: [] }),
  transactionSql: () => [],
  createTempSql: (table, columns) => `create temp table ${table} (${columns})`,
  dropTempSql: (tables) => tables.map((t) => `drop table if exists ${t}`),
  prepareLoadTableSql: () => [],
  async copyRows(t, text, run) {
    if (!t.copyRoleArn) throw new ConfigError('REDSHIFT_COPY_ROLE_ARN is not set: Redshift needs a role to read S3');
    const gzip = createGzip();
    const parts: Buffer[] = [];
    gzip.on('data', (b: Buffer) => parts.push(b));
    const done = new Promise((resolve, reject) => gzip.on('end', resolve).on('error', reject));
    for await (const chunk of text) if (!gzip.write(chunk)) await new Promise((r) => gzip.once('drain', r));
    gzip.end();
    await done;
    const key = copyObjectKey(t.dataset, t.dt, t.runId);
    await t.s3.send(
      new PutObjectCommand({ Bucket: t.bucket, Key: key, Body: Buffer.concat(parts), ContentEncoding: 'gzip' }),
    );
    await run(redshiftCopySql(t.schema, t.bucket, key, t.copyRoleArn));
  },
  async publish(t, _run, shared) {
    for (const sql of replaceFactSql(t.schema)) await shared(sql, bind(sql, [t.dataset, t.dt]));
  },
};
