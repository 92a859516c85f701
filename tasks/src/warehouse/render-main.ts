import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../paths';
import { DIALECTS } from './model-types';
import { migrationFileName, renderMigrations } from './render';

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
  return written;
}

if (require.main === module) {
  for (const f of writeRenderedMigrations()) process.stdout.write(`[sql-render] ${f}\n`);
}
