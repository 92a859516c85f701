import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../errors';
import { SOURCE_COLUMNS } from './columns';
import { excerpt } from './excerpt';
import { suggestColumn } from './header-hints';

/**
 * An explicit alias map for a drifted header: `{ "<name in the file>": "<source column>" }`, e.g.
 * `{ "SalesChannel": "Sales Channel ", "order_id": "Order ID" }`. Names not in the map stay as
 * they are; the renamed header must then be the source header exactly.
 */
export type HeaderMap = Record<string, string>;

const shape = z.record(z.string(), z.string());

/**
 * Validates a header map's JSON text and reports every problem at once: not a flat object of
 * strings, a target that is not a source column (with the likely intended one), two names mapped
 * to one column, a name given twice.
 * @throws ConfigError (exit 2) naming the file and each problem
 */
export function parseHeaderMap(text: string, file: string): HeaderMap {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`--header-map ${file}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = shape.safeParse(json);
  if (!parsed.success || Array.isArray(json)) {
    const why = parsed.success ? 'an array' : parsed.error.issues.map((i) => i.message).join('; ');
    throw new ConfigError(
      `--header-map ${file}: must be a JSON object of "<name in the file>": "<source column>" strings (${why})`,
    );
  }
  const map = parsed.data;
  const problems: string[] = [];
  const columns: readonly string[] = SOURCE_COLUMNS;
  for (const [from, to] of Object.entries(map)) {
    if (!from.length) problems.push('an empty column name cannot be mapped');
    if (from.length > 200) problems.push(`${excerpt(from)} is longer than 200 characters`);
    if (columns.includes(to)) continue;
    const hint = suggestColumn(to, columns);
    problems.push(
      `${excerpt(from)} maps to unknown column ${excerpt(to)}` +
        (hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''),
    );
  }
  const byTarget = new Map<string, string[]>();
  for (const [from, to] of Object.entries(map)) byTarget.set(to, [...(byTarget.get(to) ?? []), from]);
  for (const [to, froms] of byTarget) {
    if (froms.length > 1)
      problems.push(`${froms.map((f) => excerpt(f)).join(' and ')} all map to ${JSON.stringify(to)}`);
  }
  for (const name of duplicatedKeys(text)) problems.push(`${excerpt(name)} is given more than once`);
  if (problems.length) throw new ConfigError(`--header-map ${file}: ${problems.join('; ')}`, { details: { problems } });
  return map;
}

/**
 * Keys written twice in a flat JSON object of strings (JSON.parse silently keeps the last one).
 * In such an object the string tokens alternate key, value.
 */
function duplicatedKeys(text: string): string[] {
  const strings = text.match(/"(?:[^"\\]|\\.)*"/g) ?? [];
  const keys = strings.filter((_, i) => i % 2 === 0).map((s) => JSON.parse(s) as string);
  return [...new Set(keys.filter((k, i) => keys.indexOf(k) !== i))];
}

/** Reads and validates a header map file. @throws ConfigError (exit 2) when unreadable or invalid */
export function loadHeaderMap(file: string): HeaderMap {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`--header-map ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseHeaderMap(text, file);
}

/**
 * The header with the map's names replaced. Every name of the map must be in the header, so a map
 * written for another file is refused instead of doing nothing.
 * @throws ConfigError (exit 2) naming the map's names the header lacks
 */
export function applyHeaderMap(header: readonly string[], map: HeaderMap, file: string): string[] {
  const absent = Object.keys(map).filter((name) => !header.includes(name));
  if (absent.length) {
    throw new ConfigError(
      `--header-map ${file}: the file's header has no column ${absent.map((n) => excerpt(n)).join(', ')}`,
      { details: { absent: absent.map((n) => excerpt(n)) } },
    );
  }
  return header.map((name) => map[name] ?? name);
}

/** The map as S3 metadata (an HTTP header value): compact JSON, anything outside printable ASCII escaped. */
export function headerMapMetadata(map: HeaderMap): string {
  return JSON.stringify(map).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
