import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../paths';
import { readMigrations } from './migrations';
import { MODEL } from './tables';
import { DIALECTS, type Table } from './types';
import { changeName, diffModels, renderChanges } from './render-diff';
import { HEADER, migrationFileName, type RenderedMigration } from './render';

/**
 * `make sql-render`'s migrations: applied files are never rewritten. Beside them,
 * `sql/migrations/model.json` holds the model as the migrations leave it; when the model in
 * model*.ts differs, the difference is written as the next numbered migration of both dialects
 * and the snapshot moves on. A hand-written migration (a change the generator refuses) is
 * recorded with `--hand-written`: the snapshot moves on, and the integration tier checks that
 * the migrated database equals the model.
 */

/** Folder of the migrations of one dialect, as committed. */
export function migrationsDir(dialect: string, root = repoRoot): string {
  return path.join(root, 'sql', 'migrations', dialect);
}

/** The model as the committed migrations leave it. */
export function snapshotFile(root = repoRoot): string {
  return path.join(root, 'sql', 'migrations', 'model.json');
}

export function readSnapshot(root = repoRoot): Table[] {
  const file = snapshotFile(root);
  if (!existsSync(file)) throw new Error(`${file} is missing: it records the model the migrations build`);
  return JSON.parse(readFileSync(file, 'utf8')) as Table[];
}

const writeSnapshot = (model: Table[], root: string) =>
  writeFileSync(snapshotFile(root), `${JSON.stringify(model, null, 2)}\n`);

/** The migration the model still needs beyond the committed ones, or null when they build it. */
export function nextMigration(model: Table[] = MODEL, root = repoRoot): RenderedMigration | null {
  const changes = diffModels(readSnapshot(root), model);
  if (!changes.length) return null;
  const versions = DIALECTS.flatMap((d) => readMigrations(migrationsDir(d, root)).map((m) => m.version));
  const name = changeName(changes);
  const sql = (d: (typeof DIALECTS)[number]) => {
    const body = renderChanges(changes, d);
    return `${HEADER(`Model change: ${name.replace(/_/g, ' ')}`, d)}\n${body.length ? body.join('\n\n') : '-- nothing to do in this dialect'}\n`;
  };
  return { version: Math.max(0, ...versions) + 1, name, sql: { postgres: sql('postgres'), redshift: sql('redshift') } };
}

/**
 * Writes the next migration (if the model needs one) and the snapshot; returns the files written.
 * @throws UnsupportedChange (render-diff.ts) when the change needs a hand-written migration.
 */
export function writeMigrations(model: Table[] = MODEL, root = repoRoot, handWritten = false): string[] {
  const written: string[] = [];
  const next = handWritten ? null : nextMigration(model, root);
  for (const dialect of next ? DIALECTS : []) {
    const dir = migrationsDir(dialect, root);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, migrationFileName(next!));
    writeFileSync(file, next!.sql[dialect]);
    written.push(path.relative(root, file));
  }
  writeSnapshot(model, root);
  written.push(path.relative(root, snapshotFile(root)));
  return written;
}
