/**
 * The vocabulary of the warehouse model (`model.ts`): tables, columns and the physical choices of
 * each dialect. One model is rendered into Redshift and PostgreSQL 15 DDL by `render.ts`, so both
 * dialects declare the same tables, columns and types by construction.
 */

/**
 * Column types, spelled the same in both dialects (Redshift and PostgreSQL accept every one of
 * them), so a rendered type never differs between the two files.
 */
export type ColumnType =
  | 'smallint'
  | 'int'
  | 'bigint'
  | 'date'
  | 'boolean'
  | 'timestamptz'
  | `numeric(${number},${number})`
  | `varchar(${number})`;

/** Redshift column compression (ENCODE); see the reasons in `render.ts` for the defaults. */
export type RedshiftEncoding = 'raw' | 'az64' | 'zstd' | 'bytedict' | 'runlength';

export interface Column {
  name: string;
  type: ColumnType;
  /** Default false: columns are NOT NULL unless the data can legitimately lack the value. */
  nullable?: boolean;
  /** Overrides the default encoding chosen from the type; give the reason in `doc`. */
  encode?: RedshiftEncoding;
  doc: string;
}

export interface RedshiftPhysical {
  diststyle: 'all' | 'key' | 'even';
  distkey?: string;
  /** Compound sort key, most selective filter first. */
  sortkey: string[];
  /** Why this distribution and sort key: rendered as a comment above the table. */
  reason: string;
}

export interface PostgresIndex {
  name: string;
  columns: string[];
  unique?: boolean;
  /** Which query or load step uses it: rendered as a comment. */
  reason: string;
}

export interface PostgresPhysical {
  /** Range partitioning by calendar month on a date column (the loader adds months on demand). */
  partitionByMonth?: string;
  indexes: PostgresIndex[];
  reason?: string;
  /**
   * Why PostgreSQL declares no primary key for the table: something else guarantees the key (for
   * the fact, the loader, as Redshift needs anyway). Redshift still declares it, unenforced.
   */
  primaryKeyNotDeclared?: string;
}

export interface Table {
  name: string;
  doc: string;
  columns: Column[];
  primaryKey: string[];
  redshift: RedshiftPhysical;
  postgres: PostgresPhysical;
  /** The unknown member (key 0) of a dimension: column -> SQL literal. */
  unknownMember?: Record<string, string>;
}

export type Dialect = 'postgres' | 'redshift';
export const DIALECTS: Dialect[] = ['postgres', 'redshift'];

/** The key every dimension reserves for "unknown": facts point here, never to NULL. */
export const UNKNOWN_KEY = 0;
