/**
 * GX's `row_condition` with `condition_parser: "pandas"`: the subset of pandas `DataFrame.query`
 * syntax a suite needs, parsed by a small recursive-descent parser (never eval'd). Grammar:
 *
 *   expr    := and (('|' | 'or') and)*
 *   and     := unary (('&' | 'and') unary)*
 *   unary   := ('~' | 'not') unary | compare
 *   compare := operand [('==' | '!=' | '<' | '<=' | '>' | '>=') operand]
 *            | operand ['not'] 'in' list
 *   operand := column | column '.' ('isnull' | 'isna' | 'notnull' | 'notna') '()' | literal | '(' expr ')'
 *   column  := identifier | `any name in backticks`
 *   literal := 'text' | "text" | number | True | False | None
 *   list    := '[' literal (',' literal)* ']'
 *
 * Null handling follows pandas: `==`, `<`, `in` are false for a missing value, `!=` and `not in` true.
 */
export type Literal = string | number | boolean | null;
export type Condition =
  | { op: 'and' | 'or'; left: Condition; right: Condition }
  | { op: 'not'; arg: Condition }
  | { op: 'cmp'; cmp: '==' | '!=' | '<' | '<=' | '>' | '>='; left: Operand; right: Operand }
  | { op: 'in'; negate: boolean; column: string; values: Literal[] }
  | { op: 'isnull'; negate: boolean; column: string }
  | { op: 'truthy'; column: string };
export type Operand = { column: string } | { value: Literal };

type Token = { t: 'op' | 'name' | 'col' | 'str' | 'num' | 'punct'; v: string; at: number };

const TOKEN =
  /\s*(?:(`[^`]*`)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(==|!=|<=|>=|<|>|&|\||~)|([A-Za-z_][A-Za-z0-9_]*)|([()[\],.]))/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`unexpected character at offset ${at}: "${text.slice(at, at + 10)}"`);
    const start = m.index + m[0].length - m[0].trimStart().length;
    if (m[1]) tokens.push({ t: 'col', v: m[1].slice(1, -1), at: start });
    else if (m[2]) tokens.push({ t: 'str', v: m[2].slice(1, -1).replace(/\\(.)/g, '$1'), at: start });
    else if (m[3]) tokens.push({ t: 'num', v: m[3], at: start });
    else if (m[4]) tokens.push({ t: 'op', v: m[4], at: start });
    else if (m[5]) tokens.push({ t: 'name', v: m[5], at: start });
    else tokens.push({ t: 'punct', v: m[6]!, at: start });
  }
  return tokens;
}

const NULL_METHODS: Record<string, boolean> = { isnull: false, isna: false, notnull: true, notna: true };
const CMP = new Set(['==', '!=', '<', '<=', '>', '>=']);

/**
 * Parses a pandas-style row condition into a tree.
 * @throws Error naming the offending token and its offset.
 */
export function parseCondition(text: string): Condition {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (what: string): never => {
    const tok = peek();
    throw new Error(tok ? `${what} at offset ${tok.at}, found "${tok.v}"` : `${what} at the end of the condition`);
  };
  const accept = (t: Token['t'], v?: string) => {
    const tok = peek();
    if (tok && tok.t === t && (v === undefined || tok.v === v)) return tokens[pos++]!;
    return undefined;
  };
  const expect = (t: Token['t'], v: string) => accept(t, v) ?? fail(`expected "${v}"`);

  const literal = (): Literal | undefined => {
    const tok = peek();
    if (!tok) return undefined;
    if (tok.t === 'str') return (pos++, tok.v);
    if (tok.t === 'num') return (pos++, Number(tok.v));
    if (tok.t === 'name' && ['True', 'False', 'None'].includes(tok.v)) {
      pos++;
      return tok.v === 'None' ? null : tok.v === 'True';
    }
    return undefined;
  };
  const columnName = (): string | undefined => {
    const tok = peek();
    if (tok?.t === 'col') return (pos++, tok.v);
    if (tok?.t === 'name' && !['and', 'or', 'not', 'in', 'True', 'False', 'None'].includes(tok.v))
      return (pos++, tok.v);
    return undefined;
  };
  const list = (): Literal[] => {
    expect('punct', '[');
    const values: Literal[] = [];
    if (accept('punct', ']')) return values;
    do {
      const v = literal();
      if (v === undefined) fail('expected a literal in the list');
      values.push(v as Literal);
    } while (accept('punct', ','));
    expect('punct', ']');
    return values;
  };

  function compare(): Condition {
    if (accept('punct', '(')) {
      const inner = or();
      expect('punct', ')');
      return inner;
    }
    const col = columnName();
    const left: Operand | undefined = col !== undefined ? { column: col } : wrap(literal());
    if (!left) return fail('expected a column, a literal or "("');
    if (col !== undefined && accept('punct', '.')) {
      const method = accept('name')?.v;
      if (method === undefined || !(method in NULL_METHODS))
        return fail('expected isnull(), isna(), notnull() or notna()');
      expect('punct', '(');
      expect('punct', ')');
      return { op: 'isnull', negate: NULL_METHODS[method]!, column: col };
    }
    const negateIn = peek()?.t === 'name' && peek()?.v === 'not' && tokens[pos + 1]?.v === 'in';
    if (negateIn) pos++;
    if (accept('name', 'in')) {
      if (col === undefined) return fail('"in" needs a column on its left');
      return { op: 'in', negate: negateIn, column: col, values: list() };
    }
    const opTok = peek();
    if (opTok?.t === 'op' && CMP.has(opTok.v)) {
      pos++;
      const rcol = columnName();
      const right: Operand | undefined = rcol !== undefined ? { column: rcol } : wrap(literal());
      if (!right) return fail('expected a column or a literal after the comparison');
      return { op: 'cmp', cmp: opTok.v as '==', left, right };
    }
    if (col !== undefined) return { op: 'truthy', column: col };
    return fail('expected a comparison');
  }
  function unary(): Condition {
    if (accept('op', '~') || accept('name', 'not')) return { op: 'not', arg: unary() };
    return compare();
  }
  function and(): Condition {
    let left = unary();
    while (accept('op', '&') || accept('name', 'and')) left = { op: 'and', left, right: unary() };
    return left;
  }
  function or(): Condition {
    let left = and();
    while (accept('op', '|') || accept('name', 'or')) left = { op: 'or', left, right: and() };
    return left;
  }
  if (!tokens.length) throw new Error('the condition is empty');
  const tree = or();
  if (pos < tokens.length) fail('unexpected token');
  return tree;
}

function wrap(v: Literal | undefined): Operand | undefined {
  return v === undefined ? undefined : { value: v };
}

/** Every column a condition reads (readers project only what the suite needs). */
export function conditionColumns(c: Condition, into = new Set<string>()): Set<string> {
  switch (c.op) {
    case 'and':
    case 'or':
      return conditionColumns(c.right, conditionColumns(c.left, into));
    case 'not':
      return conditionColumns(c.arg, into);
    case 'cmp':
      for (const o of [c.left, c.right]) if ('column' in o) into.add(o.column);
      return into;
    default:
      return into.add(c.column);
  }
}
