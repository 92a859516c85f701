import type { SchemaTree } from 'hyparquet';
import { centsOf, utf8Values } from '../columns';
import { ValueIds } from '../../members';
import type { SilverValues } from './column';

/** Strings numbered in order of appearance from 0 (members.ts numbers them from 1, 0 being null). */
class Interner {
  private readonly ids = new ValueIds();

  code(v: unknown): number {
    return v === null || v === undefined ? -1 : this.ids.of(String(v)) - 1;
  }

  get dict(): string[] {
    return this.ids.values.slice(1) as string[];
  }
}

/**
 * A column as hyparquet's parquetRead gives it (one JS value per row) in the loader's form
 * (column.ts): for chunks our page decoder does not read. Decimals arrive as numbers of units and
 * leave as exact cents (centsOf).
 */
export function fromRows(rows: ArrayLike<unknown>, node: SchemaTree | undefined, asBytes = false): SilverValues {
  const e = node?.element;
  const n = rows.length;
  if (node && node.children.length > 0) {
    const interned = new Interner();
    const offsets = new Int32Array(n + 1);
    const nulls = new Uint8Array(n);
    const codes: number[] = [];
    for (let r = 0; r < n; r++) {
      offsets[r] = codes.length;
      const list = rows[r] as ArrayLike<unknown> | null | undefined;
      if (list === null || list === undefined) nulls[r] = 1;
      else for (let i = 0; i < list.length; i++) codes.push(interned.code(list[i]));
    }
    offsets[n] = codes.length;
    return { kind: 'list', dict: interned.dict, offsets, codes: Int32Array.from(codes), nulls };
  }
  const decimal = e?.converted_type === 'DECIMAL' || e?.logical_type?.type === 'DECIMAL';
  if (e?.type === 'BYTE_ARRAY' && !decimal && asBytes) {
    const texts = Array.from({ length: n }, (_, r) =>
      rows[r] === null || rows[r] === undefined ? null : String(rows[r]),
    );
    return { kind: 'bytes', ...utf8Values(texts) };
  }
  if (e?.type === 'BYTE_ARRAY' && !decimal) {
    const interned = new Interner();
    const codes = new Int32Array(n);
    for (let r = 0; r < n; r++) codes[r] = interned.code(rows[r]);
    return { kind: 'text', dict: interned.dict, codes };
  }
  const values = new Float64Array(n);
  const nulls = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const v = rows[r];
    if (v === null || v === undefined) nulls[r] = 1;
    else if (decimal) values[r] = centsOf(Number(v));
    else values[r] = typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
  }
  return { kind: 'number', values, nulls };
}
