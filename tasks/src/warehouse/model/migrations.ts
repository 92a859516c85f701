import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, InputRejectedError } from '../../errors';

/** A migration file on disk: `V<version>__<name>.sql`. */
export interface MigrationFile {
  version: number;
  name: string;
  file: string;
  sql: string;
  /** sha256 of the file with line endings normalised, so a checkout on Windows does not differ. */
  checksum: string;
}

/** A row of schema_migrations. */
export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
}

const FILE_NAME = /^V(\d{3,})__([a-z0-9_]+)\.sql$/;

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/**
 * Reads every migration of a folder, ordered by version.
 * @throws ConfigError when the folder is missing, a name does not follow the pattern or a version repeats.
 */
export function readMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw new ConfigError(`migrations folder ${dir} does not exist (--migrations-dir)`);
  const files: MigrationFile[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (!entry.endsWith('.sql')) continue;
    const m = FILE_NAME.exec(entry);
    if (!m) throw new ConfigError(`${path.join(dir, entry)}: a migration is named V<3 digits>__<name>.sql`);
    const sql = readFileSync(path.join(dir, entry), 'utf8');
    files.push({ version: Number(m[1]), name: m[2]!, file: path.join(dir, entry), sql, checksum: checksumOf(sql) });
  }
  const versions = files.map((f) => f.version);
  const dup = versions.find((v, i) => versions.indexOf(v) !== i);
  if (dup !== undefined) throw new ConfigError(`${dir}: version ${dup} appears twice`);
  return files.sort((a, b) => a.version - b.version);
}

export interface MigrationPlan {
  pending: MigrationFile[];
  applied: AppliedMigration[];
}

/**
 * Compares the files with what the database applied. An applied migration must never change:
 * the database would no longer be what the files say, so the plan is refused.
 * @throws InputRejectedError naming each edited or vanished migration.
 */
export function planMigrations(files: MigrationFile[], applied: AppliedMigration[]): MigrationPlan {
  const problems: string[] = [];
  for (const a of applied) {
    const f = files.find((x) => x.version === a.version);
    if (!f) problems.push(`V${a.version} (${a.name}) is applied but its file is gone`);
    else if (f.checksum !== a.checksum) {
      problems.push(
        `${path.basename(f.file)} was edited after it was applied ` +
          `(applied sha256 ${a.checksum.slice(0, 12)}, file ${f.checksum.slice(0, 12)}): add a new migration instead`,
      );
    }
  }
  if (problems.length) {
    throw new InputRejectedError(`refusing to migrate:\n  - ${problems.join('\n  - ')}`, {
      details: { problems },
    });
  }
  const done = new Set(applied.map((a) => a.version));
  const pending = files.filter((f) => !done.has(f.version));
  const newest = Math.max(0, ...applied.map((a) => a.version));
  const late = pending.filter((p) => p.version < newest);
  if (late.length) {
    throw new InputRejectedError(
      `refusing to migrate: ${late.map((l) => path.basename(l.file)).join(', ')} would apply before ` +
        `the already applied V${newest}; give it a higher version`,
    );
  }
  return { pending, applied };
}

/** A schema name safe to splice as an identifier (identifiers cannot be bound parameters). */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError(`warehouse schema "${schema}" must match [a-z_][a-z0-9_]* (--schema / WAREHOUSE_SCHEMA)`);
  }
  return schema;
}
