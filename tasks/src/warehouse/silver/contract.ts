import type { SchemaTree } from 'hyparquet';
import { InputRejectedError } from '../../errors';

/**
 * The silver order line as docs/contracts.md defines it, in its column order (Redshift's Parquet
 * COPY matches columns by position, so the order is part of the contract on the aws profile).
 */
export type SilverKind = 'string' | 'date' | 'int' | 'bigint' | 'boolean' | 'decimal' | 'strings';

export interface SilverColumn {
  name: string;
  kind: SilverKind;
  notNull?: boolean;
  /** Read by the local loader (the others are only checked for presence and type). */
  staged?: boolean;
}

const c = (name: string, kind: SilverKind, notNull = false, staged = true): SilverColumn => ({
  name,
  kind,
  notNull,
  staged,
});

export const SILVER_COLUMNS: SilverColumn[] = [
  c('dataset', 'string', true),
  c('dt', 'date', true),
  c('order_id', 'string', true),
  c('sku', 'string', true),
  c('source_index', 'bigint', false, false),
  c('order_date', 'date', true, false),
  c('status', 'string', true),
  c('status_bucket', 'string', true),
  c('fulfilment', 'string'),
  c('sales_channel', 'string'),
  c('ship_service_level', 'string'),
  c('style', 'string'),
  c('asin', 'string'),
  c('category', 'string'),
  c('size', 'string'),
  c('courier_status', 'string'),
  c('qty', 'int', true),
  c('currency', 'string', false, false),
  c('amount', 'decimal'),
  c('gross_amount', 'decimal', true),
  c('realised_amount', 'decimal', true),
  c('lost_amount', 'decimal', true),
  c('ship_city', 'string'),
  c('ship_city_raw', 'string', false, false),
  c('ship_state', 'string'),
  c('ship_state_raw', 'string', false, false),
  c('ship_postal_code', 'string'),
  c('ship_postal_code_raw', 'string', false, false),
  c('ship_country', 'string'),
  c('promotion_ids', 'strings', true),
  c('has_promotion', 'boolean', true, false),
  c('promo_count', 'int', true),
  c('b2b', 'boolean', true),
  c('fulfilled_by', 'string'),
  c('is_non_amazon', 'boolean', true),
  c('is_cancelled', 'boolean', true),
  c('dq_flags', 'strings', true, false),
  c('kafka_partition', 'int', false, false),
  c('kafka_offset', 'bigint', false, false),
];

/** The columns the local loader stages, in staging-table order. */
export const STAGED_COLUMNS = SILVER_COLUMNS.filter((x) => x.staged);

const isString = (n: SchemaTree) =>
  n.element.type === 'BYTE_ARRAY' && (n.element.converted_type === 'UTF8' || n.element.logical_type?.type === 'STRING');

/** What a Parquet schema node is, in the words of the contract (for error messages). */
export function describeNode(n: SchemaTree): string {
  const e = n.element;
  if (e.converted_type === 'LIST' || e.logical_type?.type === 'LIST') return 'list';
  if (e.converted_type === 'DECIMAL') return `decimal(${e.precision},${e.scale})`;
  return [e.type ?? 'group', e.converted_type ?? e.logical_type?.type].filter(Boolean).join(' ');
}

/** True when a Parquet schema node has the contract's type for the column. */
export function matchesKind(n: SchemaTree, kind: SilverKind): boolean {
  const e = n.element;
  switch (kind) {
    case 'string':
      return isString(n);
    case 'date':
      return e.type === 'INT32' && (e.converted_type === 'DATE' || e.logical_type?.type === 'DATE');
    case 'int':
      return e.type === 'INT32' && [undefined, 'INT_32', 'INT_16', 'INT_8'].includes(e.converted_type);
    case 'bigint':
      return e.type === 'INT64' && [undefined, 'INT_64'].includes(e.converted_type);
    case 'boolean':
      return e.type === 'BOOLEAN';
    case 'decimal':
      return e.converted_type === 'DECIMAL' && e.precision === 12 && e.scale === 2;
    case 'strings': {
      if (!(e.converted_type === 'LIST' || e.logical_type?.type === 'LIST')) return false;
      // Three-level list (list -> element) as Spark and pyarrow write it; two-level legacy lists too.
      const repeated = n.children[0];
      const leaf = repeated && repeated.children.length ? repeated.children[0] : repeated;
      return leaf !== undefined && isString(leaf);
    }
  }
}

/**
 * Checks a Parquet file's top-level columns against the contract.
 * @param ordered also require the contract's column order (Redshift COPY maps by position).
 * @throws InputRejectedError naming the file and every missing, extra, mistyped or misplaced column.
 */
export function checkSilverSchema(file: string, schema: SchemaTree, ordered: boolean): void {
  const found = schema.children;
  const byName = new Map(found.map((n) => [n.element.name, n]));
  const problems: { column: string; problem: string }[] = [];
  for (const col of SILVER_COLUMNS) {
    const node = byName.get(col.name);
    if (!node) problems.push({ column: col.name, problem: 'missing' });
    else if (!matchesKind(node, col.kind)) {
      problems.push({ column: col.name, problem: `is ${describeNode(node)}, the contract says ${col.kind}` });
    }
  }
  const known = new Set(SILVER_COLUMNS.map((x) => x.name));
  for (const n of found) {
    if (!known.has(n.element.name)) problems.push({ column: n.element.name, problem: 'not in the contract' });
  }
  if (!problems.length && ordered) {
    found.forEach((n, i) => {
      const want = SILVER_COLUMNS[i]!.name;
      if (n.element.name !== want)
        problems.push({ column: n.element.name, problem: `at position ${i + 1}, not ${want}` });
    });
  }
  if (problems.length) {
    const list = problems.map((p) => `column ${p.column} ${p.problem}`).join('; ');
    throw new InputRejectedError(`silver file ${file} does not follow the contract: ${list}`, {
      details: { file, columns: problems },
    });
  }
}
