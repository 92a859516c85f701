import type { FileMetaData, SchemaTree } from 'hyparquet';
import { InputRejectedError } from '../errors';
import { ListMembers, Members } from './members';
import { maxDefinition, parquetInternals, readChunk, type RawChunk } from './parquet-chunks';
import { checkSilverSchema, SILVER_COLUMNS, STAGED_COLUMNS, type SilverColumn } from './silver-contract';
import { LIMITS } from './silver-limits';

/** A run of staged lines, column by column: texts of the order id, member numbers, exact cents. */
export interface StagedBatch {
  length: number;
  orderId: string[];
  /** Member numbers (members.ts): 0 = the unknown member, or no promotion. */
  product: Int32Array;
  location: Int32Array;
  fulfilment: Int32Array;
  status: Int32Array;
  promotionList: Int32Array;
  qty: Int32Array;
  promoCount: Int32Array;
  /** Cents; NaN = NULL (amount only: the others are not null). */
  amount: Float64Array;
  gross: Float64Array;
  realised: Float64Array;
  lost: Float64Array;
  b2b: Uint8Array;
  isNonAmazon: Uint8Array;
  isCancelled: Uint8Array;
}

/** What the Parquet files of a partition hold, summed while they are read. */
export interface SilverSummary {
  files: number;
  rows: number;
  amountCents: bigint;
  grossCents: bigint;
  realisedCents: bigint;
  lostCents: bigint;
  qty: number;
  /** Distinct promotion ids per line, summed: what the bridge must account for. */
  promotionPairs: number;
}

export const emptySummary = (): SilverSummary => ({
  files: 0,
  rows: 0,
  amountCents: 0n,
  grossCents: 0n,
  realisedCents: 0n,
  lostCents: 0n,
  qty: 0,
  promotionPairs: 0,
});

/** The distinct members of a day, by dimension (natural key columns as silver names them). */
export interface DayMembers {
  products: Members;
  locations: Members;
  fulfilments: Members;
  statuses: Members;
  promotions: ListMembers;
}

export const newDayMembers = (): DayMembers => ({
  products: new Members(['sku', 'style', 'asin', 'category', 'size'], false),
  locations: new Members(['ship_postal_code', 'ship_city', 'ship_state', 'ship_country'], true),
  fulfilments: new Members(['fulfilment', 'sales_channel', 'ship_service_level', 'fulfilled_by'], true),
  statuses: new Members(['status', 'courier_status', 'status_bucket'], false),
  promotions: new ListMembers(),
});

/** The error of a bad value, naming file, row (1-based) and column. */
export const reject = (file: string, row: number, column: string, problem: string, value?: unknown) =>
  new InputRejectedError(`silver file ${file} row ${row + 1} column ${column}: ${problem}`, {
    details: { file, row: row + 1, column, ...(value === undefined ? {} : { value: String(value).slice(0, 200) }) },
  });

const COLUMN = new Map(SILVER_COLUMNS.map((c) => [c.name, c]));

/**
 * Reads one silver Parquet file (in memory) row group by row group, checking the contract on the
 * way (schema, not-null columns, the partition's dataset and dt on every row, text lengths) and
 * yielding its staged lines column-wise. Texts are checked once per distinct value; sums go into
 * `summary`, members into `members`.
 * @throws InputRejectedError naming the file, row and column of the first problem.
 */
export async function* readSilverFile(
  file: string,
  buffer: ArrayBuffer,
  partition: { dataset: string; dt: string },
  summary: SilverSummary,
  members: DayMembers,
  options: { ordered?: boolean } = {},
): AsyncGenerator<StagedBatch> {
  const [{ parquetMetadata, parquetSchema }, h] = await Promise.all([import('hyparquet'), parquetInternals()]);
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(buffer);
  } catch (error) {
    throw new InputRejectedError(`silver file ${file} is not readable Parquet: ${(error as Error).message}`, {
      details: { file },
    });
  }
  const schema = parquetSchema(metadata);
  checkSilverSchema(file, schema, options.ordered ?? false);
  summary.files += 1;
  const wanted = new Set(STAGED_COLUMNS.map((c) => c.name));
  let start = 0;
  for (const group of metadata.row_groups) {
    const length = Number(group.num_rows);
    const chunks = new Map<string, { chunk: RawChunk; path: SchemaTree[] }>();
    for (const column of group.columns) {
      const meta = column.meta_data!;
      const name = meta.path_in_schema[0]!;
      if (!wanted.has(name)) continue;
      const path = schemaPath(schema, meta.path_in_schema);
      try {
        chunks.set(name, { chunk: readChunk(h, buffer, path, meta), path });
      } catch (error) {
        throw new InputRejectedError(
          `silver file ${file} column ${name}: not readable Parquet: ${(error as Error).message}`,
          { details: { file, column: name } },
        );
      }
    }
    const cols = new Columns(file, start, length, (name) => chunks.get(name)!.chunk);
    cols.checkPartition(partition);
    const member = (m: Members) => {
      const ids = m.names.map((n) => cols.textIds(COLUMN.get(n)!, m.columns[m.names.indexOf(n)]!));
      const out = new Int32Array(length);
      for (let r = 0; r < length; r++) out[r] = m.memberAt(ids, r);
      return out;
    };
    const promotions = chunks.get('promotion_ids')!;
    const batch: StagedBatch = {
      length,
      orderId: cols.texts(COLUMN.get('order_id')!),
      product: member(members.products),
      location: member(members.locations),
      fulfilment: member(members.fulfilments),
      status: member(members.statuses),
      promotionList: cols.lists(COLUMN.get('promotion_ids')!, promotions.path, members.promotions, summary),
      qty: cols.ints('qty'),
      promoCount: cols.ints('promo_count'),
      amount: cols.cents(COLUMN.get('amount')!),
      gross: cols.cents(COLUMN.get('gross_amount')!),
      realised: cols.cents(COLUMN.get('realised_amount')!),
      lost: cols.cents(COLUMN.get('lost_amount')!),
      b2b: cols.flags('b2b'),
      isNonAmazon: cols.flags('is_non_amazon'),
      isCancelled: cols.flags('is_cancelled'),
    };
    addSums(summary, batch);
    yield batch;
    start += length;
  }
}

/** Schema path (root first) of a leaf column. */
function schemaPath(root: SchemaTree, names: string[]): SchemaTree[] {
  const path = [root];
  for (const name of names) path.push(path[path.length - 1]!.children.find((c) => c.element.name === name)!);
  return path;
}

/** Row count and exact sums; Number blocks of 8,000 cents stay below 2^53 for decimal(12,2). */
function addSums(s: SilverSummary, b: StagedBatch): void {
  const sum = (values: Float64Array) => {
    let total = 0n;
    for (let i = 0; i < values.length; i += 8_000) {
      let block = 0;
      for (let j = i; j < Math.min(values.length, i + 8_000); j++) if (values[j] === values[j]) block += values[j]!;
      total += BigInt(block);
    }
    return total;
  };
  s.rows += b.length;
  for (let r = 0; r < b.length; r++) s.qty += b.qty[r]!;
  s.amountCents += sum(b.amount);
  s.grossCents += sum(b.gross);
  s.realisedCents += sum(b.realised);
  s.lostCents += sum(b.lost);
}

/** Column conversions of one row group (rows start..start+length of the file). */
class Columns {
  constructor(
    private readonly file: string,
    private readonly start: number,
    private readonly length: number,
    private readonly chunk: (name: string) => RawChunk,
  ) {}

  private fail(r: number, column: string, problem: string, value?: unknown): never {
    throw reject(this.file, this.start + r, column, problem, value);
  }

  /** Every row holds the partition's dataset and dt (checked once per distinct value, row named). */
  checkPartition(p: { dataset: string; dt: string }): void {
    const days = Date.parse(`${p.dt}T00:00:00Z`) / 86_400_000;
    const want: [string, unknown, (v: unknown) => string][] = [
      ['dataset', p.dataset, String],
      ['dt', days, (v) => new Date(Number(v) * 86_400_000).toISOString().slice(0, 10)],
    ];
    for (const [name, expected, show] of want) {
      const { codes, values } = this.chunk(name);
      const ok = new Uint8Array(values.length);
      for (let r = 0; r < this.length; r++) {
        const code = codes[r]!;
        if (code >= 0 && ok[code]) continue;
        if (code < 0) this.fail(r, name, 'is null, the contract says not null');
        if (values[code] !== expected)
          this.fail(r, name, `is ${show(values[code])}, the partition is ${name === 'dt' ? p.dt : p.dataset}`);
        ok[code] = 1;
      }
    }
  }

  /** Value ids (members.ts) of a text column, checking nulls and lengths once per distinct value. */
  textIds(col: SilverColumn, ids: { of: (v: string | null) => number }): Int32Array {
    const { codes, values } = this.chunk(col.name);
    const limit = LIMITS[col.name] ?? Infinity;
    const known = new Int32Array(values.length).fill(-1);
    const out = new Int32Array(this.length);
    for (let r = 0; r < this.length; r++) {
      const code = codes[r]!;
      if (code < 0) {
        if (col.notNull) this.fail(r, col.name, 'is null, the contract says not null');
        continue;
      }
      let id = known[code]!;
      if (id < 0) {
        const v = values[code] as string;
        if (v.length > limit) this.fail(r, col.name, `is ${v.length} characters, the warehouse takes ${limit}`, v);
        id = known[code] = ids.of(v);
      }
      out[r] = id;
    }
    return out;
  }

  /** A not-null text column as strings (the order id). */
  texts(col: SilverColumn): string[] {
    const out: string[] = new Array(this.length);
    const known: (string | null)[] = [null];
    const ids = { of: (v: string | null) => known.push(v) - 1 };
    const idx = this.textIds(col, ids);
    for (let r = 0; r < this.length; r++) out[r] = known[idx[r]!]!;
    return out;
  }

  ints(name: string): Int32Array {
    const { codes, values } = this.chunk(name);
    const out = new Int32Array(this.length);
    for (let r = 0; r < this.length; r++) {
      if (codes[r]! < 0) this.fail(r, name, 'is null, the contract says not null');
      out[r] = values[codes[r]!] as number;
    }
    return out;
  }

  flags(name: string): Uint8Array {
    const { codes, values } = this.chunk(name);
    const out = new Uint8Array(this.length);
    for (let r = 0; r < this.length; r++) {
      if (codes[r]! < 0) this.fail(r, name, 'is null, the contract says not null');
      out[r] = values[codes[r]!] ? 1 : 0;
    }
    return out;
  }

  /** decimal(12,2) as exact cents: the unscaled integer of INT32, INT64 or big-endian bytes. */
  cents(col: SilverColumn): Float64Array {
    const { codes, values } = this.chunk(col.name);
    const known = new Float64Array(values.length).fill(NaN);
    const out = new Float64Array(this.length);
    for (let r = 0; r < this.length; r++) {
      const code = codes[r]!;
      if (code < 0) {
        if (col.notNull) this.fail(r, col.name, 'is null, the contract says not null');
        out[r] = NaN;
        continue;
      }
      if (known[code] !== known[code]) known[code] = unscaled(values[code]);
      out[r] = known[code]!;
    }
    return out;
  }

  /** List numbers (members.ts) of the promotion lists; the distinct ids of each line are counted. */
  lists(col: SilverColumn, path: SchemaTree[], lists: ListMembers, s: SilverSummary): Int32Array {
    const { codes, values, def, rep } = this.chunk(col.name);
    const limit = LIMITS[col.name] ?? Infinity;
    // Definition levels: below `listAt` the list is NULL, below `elementAt` it is empty.
    const listAt = path[1]!.element.repetition_type === 'REQUIRED' ? 0 : 1;
    const elementAt = maxDefinition(path.slice(0, path.findIndex((n) => n.element.repetition_type === 'REPEATED') + 1));
    const known = new Int32Array(values.length).fill(-1);
    const out = new Int32Array(this.length);
    let seq = new Int32Array(64);
    let len = 0;
    let row = -1;
    const finish = () => {
      if (row < 0) return;
      out[row] = lists.member(seq, len);
      s.promotionPairs += lists.sizes[out[row]!]!;
    };
    for (let i = 0; i < codes.length; i++) {
      if (rep![i] === 0) {
        finish();
        row++;
        len = 0;
      }
      const d = def![i]!;
      if (d < listAt) this.fail(row, col.name, 'is null, the contract says not null');
      if (d < elementAt) continue;
      const code = codes[i]!;
      if (code < 0) this.fail(row, col.name, 'holds a null or over-long id', 'null');
      let id = known[code]!;
      if (id < 0) {
        const v = values[code] as string;
        if (v.length > limit) this.fail(row, col.name, 'holds a null or over-long id', v);
        id = known[code] = lists.ids.of(v);
      }
      if (len === seq.length) {
        const grown = new Int32Array(len * 2);
        grown.set(seq);
        seq = grown;
      }
      seq[len++] = id;
    }
    finish();
    return out;
  }
}

/** The unscaled integer of a decimal value as Parquet stores it (the cents of a decimal(12,2)). */
export function unscaled(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  // Big-endian two's complement: the first byte carries the sign, so values stay small and exact.
  const bytes = v as Uint8Array;
  let n = bytes.length && bytes[0]! >= 128 ? bytes[0]! - 256 : (bytes[0] ?? 0);
  for (let i = 1; i < bytes.length; i++) n = n * 256 + bytes[i]!;
  return n;
}
