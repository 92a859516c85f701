import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../paths';
import { DIALECTS } from './model-types';
import { redshiftLoadScript } from './load/redshift-script';
import { migrationFileName, renderMigrations } from './render';

/**
 * Every statement one load of a partition sends, for reading and for CI's SQL parser (the aws
 * path has no cluster to run against). Bucket, manifest and role are examples.
 */
export function renderLoadSql(schema = 'sales'): string {
  const statements = redshiftLoadScript(schema);
  const header =
    '-- The statements of one warehouse-load of a (dataset, dt) on Redshift, in order, inside one transaction.\n' +
    '-- Generated from tasks/src/warehouse/load/ and dialects/ by `make sql-render`; parameters: dimension\n' +
    '-- statements $1 = dt, fact statements $1 dataset, $2 dt.\n';
  return `${header}\n${statements.map((s) => `${s.replace(/\n {4,}/g, '\n  ').trim()};`).join('\n\n')}\n`;
}

/** Folder of the migrations of one dialect, as committed. */
export function migrationsDir(dialect: string, root = repoRoot): string {
  return path.join(root, 'sql', 'migrations', dialect);
}

/** `make sql-render`: writes every rendered migration under sql/migrations/<dialect>/. */
export function writeRenderedMigrations(root = repoRoot): string[] {
  const written: string[] = [];
  for (const m of renderMigrations()) {
    for (const dialect of DIALECTS) {
      const dir = migrationsDir(dialect, root);
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, migrationFileName(m));
      writeFileSync(file, m.sql[dialect]);
      written.push(path.relative(root, file));
    }
  }
  for (const dialect of DIALECTS) {
    if (dialect !== 'redshift') continue;
    const file = path.join(root, 'sql', 'load', `${dialect}_load_partition.sql`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, renderLoadSql());
    written.push(path.relative(root, file));
  }
  return written;
}

if (require.main === module) {
  for (const f of writeRenderedMigrations()) process.stdout.write(`[sql-render] ${f}\n`);
}
