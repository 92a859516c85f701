import type { FileMetaData } from 'hyparquet';
import { InputRejectedError } from '../errors';
import { dimFulfilment, dimLocation, dimProduct, dimPromotion, dimStatus, factOrderLines } from './model';
import type { Table } from './model-types';
import { checkSilverSchema, STAGED_COLUMNS } from './silver-contract';
import { centsToText, daysToIso, textArrayLiteral, toCents } from './values';

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

const at = (name: string) => STAGED_COLUMNS.findIndex((x) => x.name === name);
/** Positions of the summed columns among the staged ones. */
const I = {
  qty: at('qty'),
  amount: at('amount'),
  gross: at('gross_amount'),
  realised: at('realised_amount'),
  lost: at('lost_amount'),
};

const reject = (file: string, row: number, column: string, problem: string, value?: unknown) =>
  new InputRejectedError(`silver file ${file} row ${row + 1} column ${column}: ${problem}`, {
    details: { file, row: row + 1, column, ...(value === undefined ? {} : { value: String(value).slice(0, 200) }) },
  });

/**
 * Reads one silver Parquet file (already in memory) row group by row group and yields its staged
 * columns as text values (see values.ts), checking the contract on the way: schema, not-null
 * columns, partition values and text lengths. Sums go into `summary`.
 * @throws InputRejectedError naming the file, row and column of the first problem.
 */
export async function* readSilverFile(
  file: string,
  buffer: ArrayBuffer,
  partition: { dataset: string; dt: string },
  summary: SilverSummary,
  options: { ordered?: boolean } = {},
): AsyncGenerator<(string | null)[][]> {
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
  const columns = STAGED_COLUMNS.map((x) => x.name);
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    let rows: unknown[][] = [];
    await parquetRead({
      file: buffer,
      metadata,
      columns,
      rowStart: start,
      rowEnd: end,
      parsers: { dateFromDays: (d: number) => d },
      onComplete: (r: unknown[][]) => {
        rows = r;
      },
    });
    yield rows.map((r, i) => convertRow(file, start + i, r, partition, summary));
    start = end;
  }
}

function convertRow(
  file: string,
  row: number,
  values: unknown[],
  partition: { dataset: string; dt: string },
  s: SilverSummary,
): (string | null)[] {
  const out: (string | null)[] = new Array(values.length);
  for (let i = 0; i < STAGED_COLUMNS.length; i++) {
    const col = STAGED_COLUMNS[i]!;
    const v = values[i];
    if (v === null || v === undefined) {
      if (col.notNull) throw reject(file, row, col.name, 'is null, the contract says not null');
      out[i] = null;
      continue;
    }
    switch (col.kind) {
      case 'string': {
        const text = v as string;
        if (text.length > (LIMITS[col.name] ?? Infinity)) {
          throw reject(file, row, col.name, `is ${text.length} characters, the warehouse takes ${LIMITS[col.name]}`, v);
        }
        out[i] = text;
        break;
      }
      case 'date':
        out[i] = daysToIso(v as number);
        break;
      case 'int':
      case 'bigint':
        out[i] = String(v);
        break;
      case 'boolean':
        out[i] = v ? 't' : 'f';
        break;
      case 'decimal':
        out[i] = centsToText(toCents(v as number));
        break;
      case 'strings': {
        const ids = v as (string | null)[];
        if (ids.some((x) => x === null || x.length > LIMITS.promotion_ids!)) {
          throw reject(file, row, col.name, 'holds a null or over-long id', JSON.stringify(ids));
        }
        s.promotionPairs += new Set(ids).size;
        out[i] = textArrayLiteral(ids as string[]);
        break;
      }
    }
  }
  // Positions follow STAGED_COLUMNS; see silver-contract.ts.
  const [dataset, dt] = out;
  if (dataset !== partition.dataset) throw reject(file, row, 'dataset', `is ${dataset}, the partition is ${partition.dataset}`);
  if (dt !== partition.dt) throw reject(file, row, 'dt', `is ${dt}, the partition is ${partition.dt}`);
  s.rows += 1;
  s.qty += Number(out[I.qty]);
  if (out[I.amount] !== null) s.amountCents += BigInt(toCents(values[I.amount] as number));
  s.grossCents += BigInt(toCents(values[I.gross] as number));
  s.realisedCents += BigInt(toCents(values[I.realised] as number));
  s.lostCents += BigInt(toCents(values[I.lost] as number));
  return out;
}
