import { factOrderLines } from '../model/tables';
import { textAt } from '../silver/columns';
import type { StagedBatch } from '../silver/reader';
import { centsToText } from '../values';
import { binaryFields as field, CopyBinaryWriter } from './copy-binary';
import { CopyTextWriter, copyText } from './copy-text';
import type { DayKeys } from './keys';

const EMPTY = Buffer.alloc(0);
type KeyDim = 'locations' | 'fulfilments' | 'statuses' | 'groups';

/**
 * Member n's cached bytes. Members are numbered in order of first appearance, so filling the cache
 * up to n keeps it a dense array (a sparse one falls back to a slow dictionary lookup).
 */
function upTo(cache: Buffer[], n: number, build: (n: number) => Buffer): Buffer {
  while (cache.length <= n) cache.push(build(cache.length));
  return cache[n]!;
}

/** The fact's columns in table order: what the loader writes for each line, keys resolved. */
export const FACT_COLUMNS = factOrderLines.columns.map((c) => c.name);
/** Columns every line of one load holds the same value in: its dataset, date and date key. */
export const DAY_COLUMNS: readonly string[] = ['dataset', 'dt', 'date_key'];
/**
 * The columns of a binary COPY tuple (FACT_COLUMNS order): the day's columns are left to the new
 * table's defaults (dialects/postgres.ts), 40 bytes a line the server then neither receives nor
 * parses.
 */
export const BINARY_COLUMNS = FACT_COLUMNS.filter((c) => !DAY_COLUMNS.includes(c));

/**
 * Turns the staged lines of one (dataset, dt) into fact rows: the members' surrogate keys are
 * resolved here (each member's bytes built once), so the warehouse receives finished rows and
 * joins nothing per line. Counts the lines without an address or fulfilment for the reconciliation.
 */
export class LineEncoder {
  rows = 0;
  noLocation = 0;
  noFulfilment = 0;
  private readonly prefix: Buffer;
  private readonly product: Buffer[] = [];
  private readonly cached = { locations: [] as Buffer[], fulfilments: [] as Buffer[], statuses: [] as Buffer[] };
  private readonly group: Buffer[] = [];
  /** Binary COPY (copy-binary.ts) of BINARY_COLUMNS: the tuple header, then fields per member. */
  private readonly binaryPrefix: Buffer;
  private readonly binary = { products: [] as Buffer[] };
  private readonly words: Record<KeyDim, number[]> = { locations: [], fulfilments: [], statuses: [], groups: [] };

  constructor(
    private readonly keys: DayKeys,
    dataset: string,
    dt: string,
    private readonly dateKey: number,
  ) {
    this.prefix = Buffer.from(`${copyText(dataset)}\t${dt}\t`);
    this.binaryPrefix = Buffer.from([BINARY_COLUMNS.length >> 8, BINARY_COLUMNS.length & 0xff]);
  }

  /** sku, date_key and product_key of product member n, as COPY text. */
  private productBytes(n: number): Buffer {
    return upTo(this.product, n, (m) =>
      m === 0 ? EMPTY : Buffer.from(`${copyText(this.keys.sku(m))}\t${this.dateKey}\t${this.keys.productKey(m)}\t`),
    );
  }

  private keyBytes(dim: 'locations' | 'fulfilments' | 'statuses', n: number): Buffer {
    return upTo(this.cached[dim], n, (m) => Buffer.from(`${this.keys.key(dim, m)}\t`));
  }

  private groupBytes(n: number): Buffer {
    return upTo(this.group, n, (m) => Buffer.from(`${this.keys.groupKey(m)}\t`));
  }

  /** Lines from..to of a batch as COPY text in FACT_COLUMNS order. */
  encode(b: StagedBatch, from: number, to: number): Buffer {
    const w = new CopyTextWriter(Math.max(1 << 12, (to - from) * 200));
    for (let r = from; r < to; r++) {
      w.bytes(this.prefix).text(textAt(b.orderId, r)).sep(false).bytes(this.productBytes(b.product[r]!));
      w.bytes(this.keyBytes('locations', b.location[r]!)).bytes(this.keyBytes('fulfilments', b.fulfilment[r]!));
      w.bytes(this.keyBytes('statuses', b.status[r]!)).bytes(this.groupBytes(b.promotionList[r]!));
      w.int(b.qty[r]!).sep(false).cents(b.amount[r]!).sep(false).cents(b.gross[r]!).sep(false);
      w.cents(b.realised[r]!).sep(false).cents(b.lost[r]!).sep(false).int(b.promoCount[r]!).sep(false);
      w.flag(b.b2b[r]!).sep(false).flag(b.isCancelled[r]!).sep(false).flag(b.isNonAmazon[r]!).sep(true);
      if (b.location[r] === 0) this.noLocation++;
      if (b.fulfilment[r] === 0) this.noFulfilment++;
    }
    this.rows += to - from;
    return w.take();
  }

  /** Product member n's sku and product_key fields (binary), cached for members up to n. */
  private binaryProduct(n: number): Buffer {
    const k = this.keys;
    return upTo(this.binary.products, n, (m) =>
      m === 0 ? EMPTY : Buffer.concat([field.text(k.sku(m)), field.int64(k.productKey(m))]),
    );
  }

  /** Surrogate keys of a dimension's members up to n as 32-bit halves: [high0, low0, high1, low1, ...]. */
  private keyWords(dim: KeyDim, n: number): number[] {
    const words = this.words[dim];
    while (words.length <= 2 * n + 1) {
      const m = words.length / 2;
      const key = BigInt.asUintN(64, BigInt(dim === 'groups' ? this.keys.groupKey(m) : this.keys.key(dim, m)));
      words.push(Number(key >> 32n) | 0, Number(key & 0xffffffffn) | 0);
    }
    return words;
  }

  /** Lines from..to of a batch as binary COPY tuples of BINARY_COLUMNS (PostgreSQL only). */
  encodeBinary(b: StagedBatch, from: number, to: number): Buffer {
    const w = new CopyBinaryWriter(Math.max(1 << 12, (to - from) * 256));
    const products = this.binary.products;
    let { locations, fulfilments, statuses, groups } = this.words;
    const { heap, starts, lengths } = b.orderId;
    for (let r = from; r < to; r++) {
      const p = b.product[r]!;
      const l = 2 * b.location[r]!;
      const f = 2 * b.fulfilment[r]!;
      const s = 2 * b.status[r]!;
      const g = 2 * b.promotionList[r]!;
      if (l >= locations.length) locations = this.keyWords('locations', l / 2);
      if (f >= fulfilments.length) fulfilments = this.keyWords('fulfilments', f / 2);
      if (s >= statuses.length) statuses = this.keyWords('statuses', s / 2);
      if (g >= groups.length) groups = this.keyWords('groups', g / 2);
      w.bytes(this.binaryPrefix).utf8(heap, starts[r]!, lengths[r]!);
      w.bytes(p < products.length ? products[p]! : this.binaryProduct(p));
      w.int64(locations[l]!, locations[l + 1]!).int64(fulfilments[f]!, fulfilments[f + 1]!);
      w.int64(statuses[s]!, statuses[s + 1]!).int64(groups[g]!, groups[g + 1]!);
      w.int32(b.qty[r]!).cents(b.amount[r]!).cents(b.gross[r]!).cents(b.realised[r]!).cents(b.lost[r]!);
      w.int32(b.promoCount[r]!).bool(b.b2b[r]!).bool(b.isCancelled[r]!).bool(b.isNonAmazon[r]!);
      if (l === 0) this.noLocation++;
      if (f === 0) this.noFulfilment++;
    }
    this.rows += to - from;
    return w.take();
  }

  /** Line r as the text values of FACT_COLUMNS (the INSERT peer binds these). */
  values(b: StagedBatch, r: number, dataset: string, dt: string): (string | null)[] {
    const cents = (c: number) => (c !== c ? null : centsToText(c));
    const k = this.keys;
    if (b.location[r] === 0) this.noLocation++;
    if (b.fulfilment[r] === 0) this.noFulfilment++;
    this.rows++;
    return [
      dataset,
      dt,
      textAt(b.orderId, r),
      k.sku(b.product[r]!),
      String(this.dateKey),
      k.productKey(b.product[r]!),
      k.key('locations', b.location[r]!),
      k.key('fulfilments', b.fulfilment[r]!),
      k.key('statuses', b.status[r]!),
      k.groupKey(b.promotionList[r]!),
      String(b.qty[r]),
      cents(b.amount[r]!),
      cents(b.gross[r]!),
      cents(b.realised[r]!),
      cents(b.lost[r]!),
      String(b.promoCount[r]),
      b.b2b[r] ? 't' : 'f',
      b.isCancelled[r] ? 't' : 'f',
      b.isNonAmazon[r] ? 't' : 'f',
    ];
  }
}
