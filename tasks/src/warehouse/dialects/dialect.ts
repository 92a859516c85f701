import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import type { MemberTable } from '../load/statements';
import type { Dialect } from '../model/types';

/** Sends one statement; the load records which module it came from (tests compare the dialects). */
export type Run = (sql: string, values?: unknown[]) => Promise<pg.QueryResult>;

/** What a dialect needs to move a day's rows, inside the load's open transaction. */
export interface DialectTarget {
  client: pg.PoolClient;
  s3: S3Client;
  bucket: string;
  schema: string;
  dataset: string;
  dt: string;
  runId: string;
  copyRoleArn?: string | undefined;
  trace?: ((origin: 'shared' | 'dialect', sql: string) => void) | undefined;
}

/**
 * Everything a load does differently on PostgreSQL and on Redshift, and nothing else: session
 * settings, the lock, temporary tables, the COPY source, how the members reach their temporary
 * tables, and how the day's new fact table is published. Every other statement is shared text
 * (load/statements.ts).
 */
export interface LoadDialect {
  readonly name: Dialect;
  /** Settings sent once per connection, before its first transaction. */
  sessionSql(): string[];
  /** Serialises loads of one schema (members new to two dates must be inserted once). */
  lockSql(schema: string): { text: string; values: unknown[] };
  /** Settings of the load's transaction. */
  transactionSql(): string[];
  /** A temporary table of the day's members. */
  createTempSql(table: string, columns: string): string;
  /** Statements that drop the temporary tables (before and after a load), if the dialect needs them. */
  dropTempSql(tables: string[]): string[];
  /** Statements on the new fact table of (dataset, dt) before rows arrive. */
  prepareLoadTableSql(schema: string, dt: string, dataset: string): string[];
  /** How copyRows wants the rows: COPY text, or PostgreSQL's binary COPY tuples (load/copy-binary.ts). */
  readonly copyFormat: 'text' | 'binary';
  /**
   * COPYs the day's rows into the new fact table (copyFormat: text of FACT_COLUMNS, or binary
   * tuples of BINARY_COLUMNS); returns the rows the server took.
   */
  copyRows(t: DialectTarget, rows: AsyncIterable<Buffer>, run: Run): Promise<number>;
  /** Puts the day's rows of one member table (values as text or NULL) into its temporary table. */
  stageMembers(t: DialectTarget, member: MemberTable, rows: (string | null)[][], run: Run): Promise<void>;
  /** Makes the new fact table's rows the fact's rows of (dataset, dt). `shared` runs shared statements. */
  publish(t: DialectTarget, run: Run, shared: Run): Promise<void>;
}
