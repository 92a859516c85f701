import type { Column, ColumnType, Dialect, RedshiftEncoding, Table } from './types';

/**
 * Renders tables of the model (model.ts) into the DDL of one dialect. V001 and V002 under
 * sql/migrations/<dialect>/ were rendered from the whole model and are applied, so they never
 * change again; a model change becomes the next migration (render-diff.ts, `make sql-render`).
 * Table names are unqualified: warehouse-migrate sets search_path to the target schema
 * (`sales` by default), so the same files build any schema (tests use throwaway ones).
 */

/** One migration: its version, name and SQL per dialect. */
export interface RenderedMigration {
  version: number;
  name: string;
  sql: Record<Dialect, string>;
}

/** The comment block at the top of every rendered migration. */
export const HEADER = (what: string, dialect: Dialect) =>
  [
    `-- ${what} (${dialect === 'redshift' ? 'Amazon Redshift' : 'PostgreSQL 15'}).`,
    '-- Generated from tasks/src/warehouse/model/ by `make sql-render`: edit the model, not this file.',
    '-- Applied by `sales-pipeline warehouse-migrate` with search_path set to the target schema.',
    '',
  ].join('\n');

/**
 * Redshift encoding of a column: the model's choice, else from its type. Sort key columns stay
 * RAW: when they compress far better than the columns a query reads, a range-restricted scan
 * pulls more blocks of the other columns than it skips. AZ64 is Redshift's codec for numbers,
 * dates and timestamps; ZSTD for text; booleans take ZSTD (AZ64 does not apply to them).
 */
export function redshiftEncoding(table: Table, column: Column): RedshiftEncoding {
  if (column.encode) return column.encode;
  if (table.redshift.sortkey.includes(column.name)) return 'raw';
  if (column.type.startsWith('varchar')) return 'zstd';
  if (column.type === 'boolean') return 'zstd';
  return 'az64';
}

function columnLine(table: Table, c: Column, dialect: Dialect, last: boolean): string {
  const type: ColumnType = c.type;
  const parts = [`  ${c.name} ${type}`, c.nullable ? '' : ' not null'];
  if (dialect === 'redshift') parts.push(` encode ${redshiftEncoding(table, c)}`);
  return `${parts.join('')}${last ? '' : ','} -- ${c.doc}`;
}

function comment(text: string): string {
  // Wrap long reasons at ~100 characters so the files stay readable.
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '--';
  for (const w of words) {
    if (line.length + w.length + 1 > 100) {
      lines.push(line);
      line = '--';
    }
    line += ` ${w}`;
  }
  lines.push(line);
  return lines.join('\n');
}

/** The CREATE TABLE (and, for PostgreSQL, CREATE INDEX) statements of one table. */
export function renderTable(t: Table, dialect: Dialect): string {
  const out: string[] = [comment(`${t.name}: ${t.doc}.`)];
  if (dialect === 'redshift') out.push(comment(`Distribution and sort: ${t.redshift.reason}.`));
  if (dialect === 'postgres' && t.postgres.reason) out.push(comment(`Partitioning: ${t.postgres.reason}.`));
  const key = dialect === 'redshift' || !t.postgres.primaryKeyNotDeclared;
  if (!key) out.push(comment(`No primary key (${t.primaryKey.join(', ')}): ${t.postgres.primaryKeyNotDeclared}.`));
  out.push(`create table ${t.name} (`);
  t.columns.forEach((c, i) => out.push(columnLine(t, c, dialect, !key && i === t.columns.length - 1)));
  if (key) out.push(`  primary key (${t.primaryKey.join(', ')})`);
  if (dialect === 'postgres') {
    const part = t.postgres.partitionByMonth;
    out.push(part ? `) partition by range (${part});` : ');');
    for (const ix of t.postgres.indexes) {
      out.push(comment(`${ix.name}: ${ix.reason}.`));
      out.push(`create ${ix.unique ? 'unique ' : ''}index ${ix.name} on ${t.name} (${ix.columns.join(', ')});`);
    }
  } else {
    const r = t.redshift;
    const dist = r.diststyle === 'key' ? `diststyle key distkey (${r.distkey})` : `diststyle ${r.diststyle}`;
    out.push(`)\n${dist}\ncompound sortkey (${r.sortkey.join(', ')});`);
  }
  return out.join('\n');
}

/** The unknown member (key 0) of a dimension, as one INSERT. */
export function renderUnknownMember(t: Table): string {
  const m = t.unknownMember!;
  const cols = Object.keys(m);
  return `insert into ${t.name} (${cols.join(', ')}) values (${cols.map((c) => m[c]).join(', ')});`;
}

/** The whole model's DDL in one dialect (what V001 was rendered as; tests compare dialects with it). */
export function renderSchema(model: Table[], dialect: Dialect): string {
  return `${HEADER('The star schema', dialect)}\n${model.map((t) => renderTable(t, dialect)).join('\n\n')}\n`;
}

/** File name of a migration: `V001__create_star_schema.sql`. */
export function migrationFileName(m: { version: number; name: string }): string {
  return `V${String(m.version).padStart(3, '0')}__${m.name}.sql`;
}
