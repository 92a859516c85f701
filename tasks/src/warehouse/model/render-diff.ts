import type { Column, Dialect, Table } from './types';
import { redshiftEncoding, renderTable, renderUnknownMember } from './render';

/**
 * The next migration of a model change: the difference between the model as the applied
 * migrations left it (the snapshot `make sql-render` keeps beside them) and the model now, as
 * statements of each dialect. Changes that only add are generated (a table, a nullable column, a
 * PostgreSQL index) or drop an index; anything else (a type, a key, a dropped column) needs a
 * migration written by hand, which the integration tier checks against the model.
 */

export type ModelChange =
  | { kind: 'add_table'; table: Table }
  | { kind: 'add_column'; table: Table; column: Column }
  | { kind: 'add_index'; table: Table; index: Table['postgres']['indexes'][number] }
  | { kind: 'drop_index'; table: Table; index: string };

/** A change the generator does not write: what it is, for the error message. */
export class UnsupportedChange extends Error {}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** A column as far as the database is concerned (its doc is only a comment). */
const shape = (c: Column) => ({ name: c.name, type: c.type, nullable: !!c.nullable, encode: c.encode });
const shapeOf = (t: Table) => ({
  keys: t.primaryKey,
  declared: !t.postgres.primaryKeyNotDeclared,
  redshift: { ...t.redshift, reason: '' },
  part: t.postgres.partitionByMonth,
});

/**
 * The changes from `before` to `after`, in the order they apply.
 * @throws UnsupportedChange listing every change that needs a hand-written migration.
 */
export function diffModels(before: Table[], after: Table[]): ModelChange[] {
  const changes: ModelChange[] = [];
  const refused: string[] = [];
  const old = new Map(before.map((t) => [t.name, t]));
  for (const name of old.keys()) if (!after.some((t) => t.name === name)) refused.push(`table ${name} is dropped`);
  for (const table of after) {
    const was = old.get(table.name);
    if (!was) {
      changes.push({ kind: 'add_table', table });
      continue;
    }
    if (!same(shapeOf(was), shapeOf(table)))
      refused.push(`table ${table.name}: primary key, distribution, sort key or partitioning changes`);
    if (!same(was.unknownMember, table.unknownMember)) refused.push(`table ${table.name}: the unknown member changes`);
    const cols = new Map(was.columns.map((c) => [c.name, c]));
    for (const c of was.columns)
      if (!table.columns.some((x) => x.name === c.name)) refused.push(`column ${table.name}.${c.name} is dropped`);
    table.columns.forEach((c, i) => {
      const prev = cols.get(c.name);
      if (prev && !same(shape(prev), shape(c)))
        refused.push(`column ${table.name}.${c.name} changes type or nullability`);
      else if (!prev && !c.nullable) refused.push(`column ${table.name}.${c.name} is added NOT NULL (rows exist)`);
      else if (!prev && i < was.columns.length)
        refused.push(`column ${table.name}.${c.name} is added before the last column`);
      else if (!prev) changes.push({ kind: 'add_column', table, column: c });
    });
    const oldIx = new Map(was.postgres.indexes.map((x) => [x.name, x]));
    for (const ix of was.postgres.indexes)
      if (!table.postgres.indexes.some((x) => same({ ...x, reason: '' }, { ...ix, reason: '' })))
        changes.push({ kind: 'drop_index', table, index: ix.name });
    for (const ix of table.postgres.indexes) {
      const prev = oldIx.get(ix.name);
      if (!prev || !same({ ...prev, reason: '' }, { ...ix, reason: '' }))
        changes.push({ kind: 'add_index', table, index: ix });
    }
  }
  if (refused.length)
    throw new UnsupportedChange(
      `the model change needs a migration written by hand:\n  - ${refused.join('\n  - ')}\n` +
        'write the next V###__name.sql for both dialects, then `make sql-render SQL_RENDER_ARGS=--hand-written`',
    );
  return changes;
}

/** The statements of the changes in one dialect (Redshift has no indexes: nothing for those). */
export function renderChanges(changes: ModelChange[], dialect: Dialect): string[] {
  const out: string[] = [];
  for (const ch of changes) {
    if (ch.kind === 'add_table') {
      out.push(renderTable(ch.table, dialect));
      if (ch.table.unknownMember) out.push(renderUnknownMember(ch.table));
    } else if (ch.kind === 'add_column') {
      const c = ch.column;
      const encode = dialect === 'redshift' ? ` encode ${redshiftEncoding(ch.table, c)}` : '';
      out.push(
        `-- ${ch.table.name}.${c.name}: ${c.doc}\nalter table ${ch.table.name} add column ${c.name} ${c.type}${encode};`,
      );
    } else if (dialect === 'postgres' && ch.kind === 'drop_index') {
      out.push(`drop index if exists ${ch.index};`);
    } else if (dialect === 'postgres' && ch.kind === 'add_index') {
      const ix = ch.index;
      out.push(
        `-- ${ix.name}: ${ix.reason}.\ncreate ${ix.unique ? 'unique ' : ''}index ${ix.name} on ${ch.table.name} (${ix.columns.join(', ')});`,
      );
    }
  }
  return out;
}

/** A migration name from its changes: `add_dim_product_colour`, `add_fact_order_lines_x_ix`, ... */
export function changeName(changes: ModelChange[]): string {
  const words = changes.map((ch) =>
    ch.kind === 'add_table'
      ? `add_${ch.table.name}`
      : ch.kind === 'add_column'
        ? `add_${ch.table.name}_${ch.column.name}`
        : ch.kind === 'add_index'
          ? `add_${ch.index.name}`
          : `drop_${ch.index}`,
  );
  const name = words.length > 2 ? `${words[0]}_and_${words.length - 1}_more` : words.join('_and_');
  return name.slice(0, 80).replace(/_+$/, '');
}
