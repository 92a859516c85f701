import type { FileMetaData } from 'hyparquet';
import { InputRejectedError } from '../errors';
import { dimFulfilment, dimLocation, dimProduct, dimPromotion, dimStatus, factOrderLines } from './model';
import type { Table } from './model-types';
import { checkSilverSchema, STAGED_COLUMNS, type SilverColumn } from './silver-contract';
import { centsToText, daysToIso, textArrayLiteral, toCents } from './values';

/** Staged values of a run of rows, column by column (STAGED_COLUMNS order), as text. */
export interface SilverBatch {
  length: number;
  columns: (string | null)[][];
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
  promotionLists: PromotionLists;
}

/**
 * The distinct promotion lists of a partition, numbered from 1 (0 = no promotion). The stage
 * carries a line's list number; each list travels to the warehouse once, not once per line
 * (in the real data a promoted line carries ~10 ids of ~50 characters).
 */
export class PromotionLists {
  private readonly numbers = new Map<string, number>();
  /** Array literal (values.ts) of list n at index n. */
  readonly literals: string[] = ['{}'];
  /** Distinct ids of list n at index n. */
  readonly sizes: number[] = [0];
  private readonly texts: string[] = ['0'];

  /** The number of a list, as text for the stage. */
  numberOf(ids: string[]): string {
    if (!ids.length) return '0';
    // NUL cannot occur in a warehouse text, so it separates ids unambiguously.
    const key = ids.join('\u0000');
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = this.literals.length;
      this.numbers.set(key, n);
      this.literals.push(textArrayLiteral(ids));
      this.sizes.push(new Set(ids).size);
      this.texts.push(String(n));
    }
    return this.texts[n]!;
  }
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
  promotionLists: new PromotionLists(),
});

const len = (t: Table, col: string) => Number(/\((\d+)\)/.exec(t.columns.find((c) => c.name === col)!.type)![1]);
/** Longest text the warehouse column behind each staged string takes (characters). */
const LIMITS: Record<string, number> = {
  dataset: len(factOrderLines, 'dataset'),
  order_id: len(factOrderLines, 'order_id'),
  sku: len(factOrderLines, 'sku'),
  status: len(dimStatus, 'status'),
  status_bucket: len(dimStatus, 'status_bucket'),
  courier_status: len(dimStatus, 'courier_status'),
  fulfilment: len(dimFulfilment, 'fulfilment'),
  sales_channel: len(dimFulfilment, 'sales_channel'),
  ship_service_level: len(dimFulfilment, 'ship_service_level'),
  fulfilled_by: len(dimFulfilment, 'fulfilled_by'),
  style: len(dimProduct, 'style'),
  asin: len(dimProduct, 'asin'),
  category: len(dimProduct, 'category'),
  size: len(dimProduct, 'size'),
  ship_city: len(dimLocation, 'city'),
  ship_state: len(dimLocation, 'state'),
  ship_postal_code: len(dimLocation, 'postal_code'),
  ship_country: len(dimLocation, 'country'),
  promotion_ids: len(dimPromotion, 'promotion_id'),
};

const reject = (file: string, row: number, column: string, problem: string, value?: unknown) =>
  new InputRejectedError(`silver file ${file} row ${row + 1} column ${column}: ${problem}`, {
    details: { file, row: row + 1, column, ...(value === undefined ? {} : { value: String(value).slice(0, 200) }) },
  });

/**
 * Reads one silver Parquet file (already in memory) row group by row group and yields its staged
 * columns as text (see values.ts), checking the contract on the way: schema, not-null columns,
 * partition values and text lengths. Work is done column by column, which is several times
 * faster than row by row. Sums go into `summary`.
 * @throws InputRejectedError naming the file, row and column of the first problem.
 */
export async function* readSilverFile(
  file: string,
  buffer: ArrayBuffer,
  partition: { dataset: string; dt: string },
  summary: SilverSummary,
  options: { ordered?: boolean } = {},
): AsyncGenerator<SilverBatch> {
  const { parquetMetadata, parquetRead, parquetSchema } = await import('hyparquet');
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(buffer);
  } catch (error) {
    throw new InputRejectedError(`silver file ${file} is not readable Parquet: ${(error as Error).message}`, {
      details: { file },
    });
  }
  checkSilverSchema(file, parquetSchema(metadata), options.ordered ?? false);
  summary.files += 1;
  const names = STAGED_COLUMNS.map((x) => x.name);
  let start = 0;
  for (const group of metadata.row_groups) {
    const length = Number(group.num_rows);
    const raw = new Map<string, ArrayLike<unknown>>();
    await parquetRead({
      file: buffer,
      metadata,
      columns: names,
      rowStart: start,
      rowEnd: start + length,
      parsers: { dateFromDays: (d: number) => d },
      onChunk: (chunk) => {
        if (chunk.rowStart === start && chunk.rowEnd - chunk.rowStart === length)
          raw.set(chunk.columnName, chunk.columnData);
        else
          raw.set(
            chunk.columnName,
            Array.from(chunk.columnData as ArrayLike<unknown>).slice(
              start - chunk.rowStart,
              start - chunk.rowStart + length,
            ),
          );
      },
    });
    const columns = STAGED_COLUMNS.map((col) => convertColumn(file, start, length, col, raw.get(col.name)!, summary));
    checkPartition(file, start, columns, partition);
    summary.rows += length;
    yield { length, columns };
    start += length;
  }
}

function checkPartition(file: string, start: number, columns: (string | null)[][], p: { dataset: string; dt: string }) {
  const [dataset, dt] = columns as [(string | null)[], (string | null)[]];
  for (let r = 0; r < dataset.length; r++) {
    if (dataset[r] !== p.dataset)
      throw reject(file, start + r, 'dataset', `is ${dataset[r]}, the partition is ${p.dataset}`);
    if (dt[r] !== p.dt) throw reject(file, start + r, 'dt', `is ${dt[r]}, the partition is ${p.dt}`);
  }
}

/** Sums exact cents of a decimal column; Number blocks of 8,000 stay below 2^53 for decimal(12,2). */
function sumCents(values: ArrayLike<unknown>): bigint {
  let total = 0n;
  for (let i = 0; i < values.length; i += 8_000) {
    let block = 0;
    const end = Math.min(values.length, i + 8_000);
    for (let j = i; j < end; j++) if (values[j] != null) block += toCents(values[j] as number);
    total += BigInt(block);
  }
  return total;
}

function convertColumn(
  file: string,
  start: number,
  length: number,
  col: SilverColumn,
  values: ArrayLike<unknown>,
  s: SilverSummary,
): (string | null)[] {
  const limit = LIMITS[col.name] ?? Infinity;
  if (col.kind === 'string' && Array.isArray(values) && values.length === length) {
    // Text comes out of hyparquet as strings already: check it and hand the same array on.
    for (let r = 0; r < length; r++) {
      const v = values[r] as string | null | undefined;
      if (v == null) {
        if (col.notNull) throw reject(file, start + r, col.name, 'is null, the contract says not null');
        values[r] = null;
      } else if (v.length > limit) {
        throw reject(file, start + r, col.name, `is ${v.length} characters, the warehouse takes ${limit}`, v);
      }
    }
    return values as (string | null)[];
  }
  const out: (string | null)[] = new Array(length);
  for (let r = 0; r < length; r++) {
    const v = values[r];
    if (v === null || v === undefined) {
      if (col.notNull) throw reject(file, start + r, col.name, 'is null, the contract says not null');
      out[r] = null;
      continue;
    }
    switch (col.kind) {
      case 'string':
        if ((v as string).length > limit) {
          throw reject(
            file,
            start + r,
            col.name,
            `is ${(v as string).length} characters, the warehouse takes ${limit}`,
            v,
          );
        }
        out[r] = v as string;
        break;
      case 'date':
        out[r] = daysToIso(v as number);
        break;
      case 'decimal':
        out[r] = centsToText(toCents(v as number));
        break;
      case 'boolean':
        out[r] = v ? 't' : 'f';
        break;
      case 'strings': {
        const ids = v as (string | null)[];
        if (ids.some((x) => x === null || x.length > limit)) {
          throw reject(file, start + r, col.name, 'holds a null or over-long id', JSON.stringify(ids));
        }
        const n = s.promotionLists.numberOf(ids as string[]);
        s.promotionPairs += s.promotionLists.sizes[Number(n)]!;
        out[r] = n;
        break;
      }
      default:
        out[r] = String(v);
    }
  }
  if (col.name === 'qty') for (let r = 0; r < length; r++) s.qty += Number(values[r]);
  if (col.name === 'amount') s.amountCents += sumCents(values);
  if (col.name === 'gross_amount') s.grossCents += sumCents(values);
  if (col.name === 'realised_amount') s.realisedCents += sumCents(values);
  if (col.name === 'lost_amount') s.lostCents += sumCents(values);
  return out;
}
