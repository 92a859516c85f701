import type { Condition, Operand } from './condition';

/** Collects bound parameters while SQL text is built: values never enter the text. */
export class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A double-quoted identifier. Only plain names are accepted (letters, digits, underscore), so a
 * quote can never be smuggled in; anything else is refused before any SQL is built.
 * @throws Error naming the bad identifier.
 */
export function quoteIdent(name: string): string {
  if (!IDENT.test(name)) throw new Error(`"${name}" is not a valid SQL identifier (letters, digits, _)`);
  return `"${name}"`;
}

function operand(o: Operand, p: Params, known: Set<string>): string {
  if ('value' in o) return p.add(o.value);
  if (!known.has(o.column)) throw new Error(`row_condition reads column "${o.column}", which the table does not have`);
  return quoteIdent(o.column);
}

/**
 * A row condition as a two-valued SQL predicate (never NULL), keeping pandas' null semantics:
 * `==`, `<`, `in` are false on NULL; `!=` and `not in` are true.
 */
export function conditionSql(c: Condition, p: Params, known: Set<string>): string {
  switch (c.op) {
    case 'and':
    case 'or':
      return `(${conditionSql(c.left, p, known)} ${c.op} ${conditionSql(c.right, p, known)})`;
    case 'not':
      return `(not ${conditionSql(c.arg, p, known)})`;
    case 'isnull':
      return `(${operand({ column: c.column }, p, known)} is ${c.negate ? 'not ' : ''}null)`;
    case 'truthy':
      return `coalesce(${operand({ column: c.column }, p, known)} = true, false)`;
    case 'in': {
      const col = operand({ column: c.column }, p, known);
      const values = c.values.filter((v) => v !== null);
      const hasNull = values.length !== c.values.length;
      const inList = values.length ? `coalesce(${col} in (${values.map((v) => p.add(v)).join(', ')}), false)` : 'false';
      const test = hasNull ? `(${inList} or ${col} is null)` : inList;
      return c.negate ? `(not ${test})` : test;
    }
    case 'cmp': {
      const l = operand(c.left, p, known);
      const r = operand(c.right, p, known);
      if (c.cmp === '!=') return `(not coalesce(${l} = ${r}, false))`;
      const op = c.cmp === '==' ? '=' : c.cmp;
      return `coalesce(${l} ${op} ${r}, false)`;
    }
  }
}
