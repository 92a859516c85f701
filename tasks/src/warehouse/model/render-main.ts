import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../paths';
import { redshiftLoadScript } from '../load/redshift-script';
import { MODEL } from './tables';
import { writeMigrations } from './render-migrations';

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

/** `make sql-render`: the next migration if the model needs one (render-migrations.ts), and the load SQL. */
export function writeRendered(root = repoRoot, handWritten = false): string[] {
  const written = writeMigrations(MODEL, root, handWritten);
  const file = path.join(root, 'sql', 'load', 'redshift_load_partition.sql');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, renderLoadSql());
  written.push(path.relative(root, file));
  return written;
}

if (require.main === module) {
  try {
    for (const f of writeRendered(repoRoot, process.argv.includes('--hand-written')))
      process.stdout.write(`[sql-render] ${f}\n`);
  } catch (error) {
    process.stderr.write(`[sql-render] ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
