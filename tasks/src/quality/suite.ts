import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors';
import { repoRoot } from '../paths';
import { CATALOG, SUPPORTED_TYPES, type Kind } from './catalog';
import { parseCondition, type Condition } from './condition';

/** Where suite files live: `expectations/<name>.json`, file name = suite name. */
export const EXPECTATIONS_DIR = path.join(repoRoot, 'expectations');

/** A suite file that cannot be used: exit 2, the message names the file, the index and the problem. */
export class SuiteError extends ConfigError {}

const Severity = z.enum(['critical', 'warning', 'info']);
const ExpectationEntry = z.strictObject({
  type: z.string().min(1),
  kwargs: z.record(z.string(), z.unknown()),
  meta: z.record(z.string(), z.unknown()).optional(),
  id: z.string().nullable().optional(),
  notes: z
    .union([z.string(), z.array(z.string())])
    .nullable()
    .optional(),
  description: z.string().nullable().optional(),
  severity: Severity.optional(),
});
const SuiteFile = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower snake_case'),
  expectations: z.array(z.unknown()),
  meta: z.record(z.string(), z.unknown()).optional(),
  id: z.string().nullable().optional(),
  notes: z
    .union([z.string(), z.array(z.string())])
    .nullable()
    .optional(),
  suite_parameters: z.record(z.string(), z.unknown()).optional(),
});

/** One expectation, checked and ready to evaluate. */
export interface Expectation {
  index: number;
  type: string;
  kind: Kind;
  kwargs: Record<string, unknown>;
  meta: Record<string, unknown>;
  severity: 'critical' | 'warning' | 'info';
  condition: Condition | null;
}

export interface Suite {
  name: string;
  file: string;
  meta: Record<string, unknown>;
  expectations: Expectation[];
}

const describe = (issues: z.core.$ZodIssue[]) =>
  issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');

/**
 * Checks a parsed suite document. Every problem names the file, the expectation index and type.
 * @throws SuiteError on an unknown type, a missing or unknown kwarg, a bad row_condition.
 */
export function checkSuite(doc: unknown, file: string): Suite {
  const top = SuiteFile.safeParse(doc);
  if (!top.success) throw new SuiteError(`suite ${file}: ${describe(top.error.issues)}`);
  const stem = path.basename(file, '.json');
  if (file.endsWith('.json') && stem !== top.data.name) {
    throw new SuiteError(`suite ${file}: name "${top.data.name}" must equal the file name "${stem}"`);
  }
  const expectations = top.data.expectations.map((raw, index): Expectation => {
    const where = `suite ${file}, expectation #${index}`;
    const entry = ExpectationEntry.safeParse(raw);
    if (!entry.success) throw new SuiteError(`${where}: ${describe(entry.error.issues)}`);
    const { type } = entry.data;
    const spec = CATALOG[type];
    if (!spec) {
      throw new SuiteError(`${where}: unknown expectation type "${type}" (supported: ${SUPPORTED_TYPES.join(', ')})`);
    }
    const kwargs = spec.kwargs.safeParse(entry.data.kwargs);
    if (!kwargs.success) throw new SuiteError(`${where} (${type}): bad kwargs: ${describe(kwargs.error.issues)}`);
    const k = kwargs.data;
    let condition: Condition | null = null;
    if (typeof k.row_condition === 'string') {
      if (k.condition_parser !== 'pandas') {
        throw new SuiteError(`${where} (${type}): row_condition needs condition_parser "pandas"`);
      }
      try {
        condition = parseCondition(k.row_condition);
      } catch (error) {
        throw new SuiteError(`${where} (${type}): bad row_condition: ${(error as Error).message}`);
      }
    }
    if (type === 'expect_column_values_to_match_regex') {
      try {
        new RegExp(String(k.regex));
      } catch (error) {
        throw new SuiteError(`${where} (${type}): bad regex: ${(error as Error).message}`);
      }
    }
    return {
      index,
      type,
      kind: spec.kind,
      kwargs: k,
      meta: entry.data.meta ?? {},
      severity: entry.data.severity ?? 'critical',
      condition,
    };
  });
  return { name: top.data.name, file, meta: top.data.meta ?? {}, expectations };
}

/**
 * Loads a suite by name (`expectations/<name>.json`) or by path.
 * @throws SuiteError when the file is missing, is not JSON, or is not a valid suite.
 */
export function loadSuite(nameOrPath: string, dir = EXPECTATIONS_DIR): Suite {
  const file =
    nameOrPath.endsWith('.json') || nameOrPath.includes('/')
      ? path.resolve(nameOrPath)
      : path.join(dir, `${nameOrPath}.json`);
  if (!existsSync(file)) throw new SuiteError(`suite ${file} not found (suites live in ${dir}/<name>.json)`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SuiteError(`suite ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return checkSuite(doc, file);
}
