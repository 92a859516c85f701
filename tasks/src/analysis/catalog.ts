import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../paths';

/** One analysis query: the file it lives in, the mart it fills and its text. */
export interface MartQuery {
  file: string;
  mart: string;
  sql: string;
}

/** sql/analysis/: one question per file; a file that fills a mart says so in a `-- mart:` line. */
export const analysisDir = path.join(repoRoot, 'sql', 'analysis');
/** The marts' DDL and the view that defines revenue once. */
export const martsDdlFile = path.join(repoRoot, 'sql', 'marts', 'create_marts.sql');

const MART_LINE = /^-- mart: ([a-z][a-z0-9_]{0,62})\s*$/m;

/**
 * Reads every `<verb>_<object>.sql` of `dir` that names its mart, in file-name order. Files without
 * a `-- mart:` line (ad-hoc queries) are skipped.
 * @throws Error when two files fill the same mart (a mart has one question).
 */
export function readMartQueries(dir = analysisDir): MartQuery[] {
  const out: MartQuery[] = [];
  const seen = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    const sql = readFileSync(path.join(dir, file), 'utf8');
    const mart = MART_LINE.exec(sql)?.[1];
    if (!mart) continue;
    const other = seen.get(mart);
    if (other) throw new Error(`${file} and ${other} both fill ${mart}: one question per mart`);
    seen.set(mart, file);
    out.push({ file, mart, sql: sql.trim().replace(/;\s*$/, '') });
  }
  return out;
}

/** The column names of each table in the marts DDL, in order (what an insert must supply). */
export function martColumns(ddl = readFileSync(martsDdlFile, 'utf8')): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  const re = /create table if not exists ([a-z_][a-z0-9_]*) \(([\s\S]*?)\n\);/g;
  for (let m = re.exec(ddl); m; m = re.exec(ddl)) {
    const columns = m[2]!
      .split('\n')
      .map((line) => line.replace(/--.*$/, '').trim())
      .filter(Boolean)
      .map((line) => line.split(/\s+/)[0]!);
    tables.set(m[1]!, columns);
  }
  return tables;
}
