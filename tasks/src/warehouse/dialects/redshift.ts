import { createGzip } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ConfigError } from '../../errors';
import { FACT_COLUMNS } from '../load/lines';
import { bind, LOAD_TABLE, memberInsertSql, MEMBER_TABLES, replaceFactSql, type MemberTable } from '../load/statements';
import type { LoadDialect } from './dialect';

/** Literal inside single quotes (COPY's S3 URI and role cannot be bound parameters). */
const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** S3 prefix of the day's rows as the loader hands them to Redshift's COPY (parts part-00000.tsv.gz, ...). */
export function copyPrefix(dataset: string, dt: string, runId: string): string {
  return `warehouse/copy/dataset=${dataset}/dt=${dt}/${runId.replace(/[^A-Za-z0-9._=-]/g, '_')}/part-`;
}

/** Uncompressed COPY text per part: parts let the cluster's slices load in parallel; memory stays bounded. */
const PART_BYTES = 64 * 1024 * 1024;

/** The COPY of the aws profile: the same text PostgreSQL reads from STDIN, gzipped in S3 parts. */
export function redshiftCopySql(schema: string, bucket: string, prefix: string, roleArn: string): string {
  return (
    `copy ${schema}.${LOAD_TABLE} (${FACT_COLUMNS.join(', ')}) from ${quote(`s3://${bucket}/${prefix}`)} ` +
    `iam_role ${quote(roleArn)} delimiter '\\t' escape gzip`
  );
}

/** Bound parameters per member INSERT (the PostgreSQL wire protocol, which Redshift speaks, allows 65,535). */
const MAX_PARAMS = 30_000;

/** Member rows as multi-row INSERTs with bound parameters, as many rows a statement as fit. */
async function insertMembers(
  t: MemberTable,
  rows: (string | null)[][],
  run: (sql: string, values: unknown[]) => Promise<unknown>,
): Promise<void> {
  const per = Math.floor(MAX_PARAMS / MEMBER_TABLES[t].columns.length);
  for (let i = 0; i < rows.length; i += per) {
    const batch = rows.slice(i, i + per);
    await run(memberInsertSql(t, batch.length), batch.flat());
  }
}

/** Gzips COPY text chunks into one Buffer. */
async function gzipped(chunks: Buffer[]): Promise<Buffer> {
  const gzip = createGzip();
  const parts: Buffer[] = [];
  gzip.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise((resolve, reject) => gzip.on('end', resolve).on('error', reject));
  for (const c of chunks) gzip.write(c);
  gzip.end();
  await done;
  return Buffer.concat(parts);
}

/**
 * Redshift (the aws profile). Temporary tables live as long as the session, so the load drops
 * its own before and after; the lock is a table lock (no advisory locks); the day's rows reach
 * the cluster as gzipped parts in S3 (one per 64 MiB of text); the new fact table is published by replacing the
 * (dataset, dt) rows, the statements PostgreSQL also runs on a month-partitioned warehouse.
 */
export const redshift: LoadDialect = {
  name: 'redshift',
  copyFormat: 'text',
  sessionSql: () => [],
  lockSql: (schema) => ({ text: `lock ${schema}.load_audit`, values: [] }),
  transactionSql: () => [],
  createTempSql: (table, columns) => `create temp table ${table} (${columns})`,
  dropTempSql: (tables) => tables.map((t) => `drop table if exists ${t}`),
  prepareLoadTableSql: () => [],
  // COPY reads only from S3 here: a day's few thousand members go as multi-row INSERTs instead.
  stageMembers: (_t, member, rows, run) => insertMembers(member, rows, run),
  async copyRows(t, text, run) {
    if (!t.copyRoleArn) throw new ConfigError('REDSHIFT_COPY_ROLE_ARN is not set: Redshift needs a role to read S3');
    const prefix = copyPrefix(t.dataset, t.dt, t.runId);
    let part = 0;
    let pending: Buffer[] = [];
    let bytes = 0;
    const flush = async () => {
      const key = `${prefix}${String(part++).padStart(5, '0')}.tsv.gz`;
      const body = await gzipped(pending);
      await t.s3.send(new PutObjectCommand({ Bucket: t.bucket, Key: key, Body: body, ContentEncoding: 'gzip' }));
      pending = [];
      bytes = 0;
    };
    for await (const chunk of text) {
      pending.push(chunk);
      bytes += chunk.length;
      if (bytes >= PART_BYTES) await flush();
    }
    if (bytes || part === 0) await flush();
    await run(redshiftCopySql(t.schema, t.bucket, prefix, t.copyRoleArn));
    return Number((await run('select pg_last_copy_count() as n')).rows[0].n);
  },
  async publish(t, _run, shared) {
    for (const sql of replaceFactSql(t.schema)) await shared(sql, bind(sql, [t.dataset, t.dt]));
  },
};
