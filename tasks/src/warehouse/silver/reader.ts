import { parquetMetadataAsync, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, FileMetaData } from 'hyparquet';
import { InputRejectedError, PipelineError } from '../../errors';
import { ListMembers, Members } from '../members';
import { rowGroups, type RowWindow } from './parquet';
import { Columns, type Utf8Values } from './columns';
import { checkSilverSchema, SILVER_COLUMNS, STAGED_COLUMNS } from './contract';
import { KeyOrder } from './key-order';

/** A run of staged lines, column by column: the order id's bytes, member numbers, exact cents. */
export interface StagedBatch {
  length: number;
  /** The order ids' UTF-8 bytes (textAt gives one as a string). */
  orderId: Utf8Values;
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

const COLUMN = new Map(SILVER_COLUMNS.map((c) => [c.name, c]));
const STAGED_NAMES = STAGED_COLUMNS.map((c) => c.name);
const AS_BYTES = new Set(['order_id']);
/** Bytes of a part's tail read first for its footer (a longer footer costs one more read). */
export const FOOTER_READ = 1 << 16;

/**
 * Reads one silver Parquet file through ranged reads (its footer, then the staged columns of one
 * row group at a time), checking the contract on the way (schema, not-null
 * columns, the partition's dataset and dt on every row, text lengths, the lines' key order) and
 * yielding its staged lines column-wise. Sums go into `summary`, members into `members`; `keys`
 * carries the key order from one file of a date to the next (a file alone is checked without it).
 * @throws InputRejectedError naming the file, row and column of the first problem.
 */
export async function* readSilverFile(
  file: string,
  buffer: AsyncBuffer,
  partition: { dataset: string; dt: string },
  summary: SilverSummary,
  members: DayMembers,
  options: { ordered?: boolean; keys?: KeyOrder } = {},
): AsyncGenerator<StagedBatch> {
  const keys = options.keys ?? new KeyOrder();
  const unreadable = (error: unknown, where = '') => {
    if (error instanceof PipelineError) return error; // S3 failures stay what they are
    return new InputRejectedError(`silver file ${file}${where} is not readable Parquet: ${(error as Error).message}`, {
      details: { file },
    });
  };
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer, { initialFetchSize: FOOTER_READ });
  } catch (error) {
    throw unreadable(error);
  }
  checkSilverSchema(file, parquetSchema(metadata), options.ordered ?? false);
  summary.files += 1;
  // The order id is nearly unique a line: its bytes go to the warehouse as they are, never as strings.
  const windows = rowGroups(buffer, metadata, STAGED_NAMES, undefined, AS_BYTES);
  for (;;) {
    let next: IteratorResult<RowWindow>;
    try {
      next = await windows.next();
    } catch (error) {
      throw unreadable(error, ' (a row group)');
    }
    if (next.done) return;
    const { start, length, columns } = next.value;
    const cols = new Columns(file, start, length, (name) => columns.get(name)!);
    cols.checkPartition(partition);
    const member = (m: Members) =>
      cols.members(
        m,
        m.names.map((n) => COLUMN.get(n)!),
      );
    const batch: StagedBatch = {
      length,
      orderId: cols.utf8(COLUMN.get('order_id')!),
      product: member(members.products),
      location: member(members.locations),
      fulfilment: member(members.fulfilments),
      status: member(members.statuses),
      promotionList: cols.lists(COLUMN.get('promotion_ids')!, members.promotions, summary),
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
    keys.check(file, start, batch.orderId, batch.product, members.products);
    addSums(summary, batch);
    yield batch;
  }
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
