import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../errors';
import { SOURCE_COLUMNS } from '../../source/columns';
import { RecordSplitter, splitFields, type RecordText } from '../../source/records';

/** The two real extracts, read in place from the shared data folder (never copied into the repo). */
export const SAMPLE_FILE = 'amazon_sale_report_sample.csv';
export const CATEGORY_AMOUNT_FILE = 'category_amount_full.csv';

/** Where a location comes from: one real order's ship-* values, spelling kept as written. */
export interface Location {
  city: string;
  state: string;
  postal: string;
}

/** Empirical distributions the generator draws from. */
export interface Calibration {
  /** Lines per category in the full file (Set 50,284 ... Dupatta 3). */
  categories: [string, number][];
  /** Per category, the full file's non-null amounts in paise: whole rupees, and fractional ones. */
  wholeAmounts: Map<string, Int32Array>;
  fractionalAmounts: Map<string, Int32Array>;
  /** One entry per real Amazon.in order of the sample with a ship-to address. */
  locations: Location[];
  /** Promotion strings of Amazon-fulfilled sample lines (single ids), one per line. */
  amazonPromotions: string[];
  /** Promotion lists of Merchant sample orders (8..33 comma-joined ids), one per order. */
  merchantPromotions: string[][];
}

const col = (name: (typeof SOURCE_COLUMNS)[number]) => SOURCE_COLUMNS.indexOf(name);

function readText(dir: string, name: string): string {
  const file = path.join(dir, name);
  if (!existsSync(file)) {
    throw new ConfigError(
      `calibration file ${file} not found: the generator reads the real extracts in place (pass --calibration <dir>)`,
    );
  }
  return readFileSync(file, 'utf8');
}

/** Amount text (`647.62`, `399.0`) to paise, exactly. */
export function toPaise(text: string): number {
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
}

function amountPools(text: string) {
  const counts = new Map<string, number>();
  const whole = new Map<string, number[]>();
  const fractional = new Map<string, number[]>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const comma = line.lastIndexOf(',');
    const category = line.slice(0, comma);
    const amount = line.slice(comma + 1).trim();
    counts.set(category, (counts.get(category) ?? 0) + 1);
    if (!amount) continue;
    const paise = toPaise(amount);
    const pool = paise % 100 === 0 ? whole : fractional;
    const list = pool.get(category) ?? [];
    list.push(paise);
    pool.set(category, list);
  }
  const typed = (m: Map<string, number[]>) => new Map([...m].map(([k, v]) => [k, Int32Array.from(v)]));
  return { categories: [...counts], whole: typed(whole), fractional: typed(fractional) };
}

function samplePools(text: string) {
  const rows: string[][] = [];
  const splitter = new RecordSplitter();
  const take = (r: RecordText) => void (r.row > 1 && rows.push(splitFields(r.text)));
  splitter.push(Buffer.from(text), take);
  splitter.end(take);
  const locations: Location[] = [];
  const amazonPromotions: string[] = [];
  const merchantPromotions: string[][] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const order = r[col('Order ID')]!;
    const promo = r[col('promotion-ids')] ?? '';
    const merchant = r[col('Fulfilment')] === 'Merchant';
    if (promo && !merchant) amazonPromotions.push(promo);
    if (seen.has(order)) continue;
    seen.add(order);
    if (promo && merchant) merchantPromotions.push(promo.split(','));
    const city = r[col('ship-city')] ?? '';
    if (r[col('Sales Channel ')] === 'Amazon.in' && city) {
      locations.push({ city, state: r[col('ship-state')]!, postal: r[col('ship-postal-code')]! });
    }
  }
  return { locations, amazonPromotions, merchantPromotions };
}

/**
 * Reads the calibration from the shared data folder.
 * @throws ConfigError naming the missing file.
 */
export function loadCalibration(dir: string): Calibration {
  const amounts = amountPools(readText(dir, CATEGORY_AMOUNT_FILE));
  const sample = samplePools(readText(dir, SAMPLE_FILE));
  if (!sample.locations.length || !sample.merchantPromotions.length || !amounts.categories.length) {
    throw new ConfigError(`the calibration files in ${dir} hold no usable rows`);
  }
  return {
    categories: amounts.categories,
    wholeAmounts: amounts.whole,
    fractionalAmounts: amounts.fractional,
    ...sample,
  };
}
