import { factOrderLines } from '../model/tables';
import type { StagedBatch } from '../silver/reader';
import { centsToText } from '../values';
import { CopyTextWriter, copyText } from './copy-text';
import type { DayKeys } from './keys';

/** The fact's columns in table order: what the loader writes for each line, keys resolved. */
export const FACT_COLUMNS = factOrderLines.columns.map((c) => c.name);

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

  constructor(
    private readonly keys: DayKeys,
    dataset: string,
    dt: string,
    private readonly dateKey: number,
  ) {
    this.prefix = Buffer.from(`${copyText(dataset)}\t${dt}\t`);
  }

  /** sku, date_key and product_key of product member n, as COPY text. */
  private productBytes(n: number): Buffer {
    return (this.product[n] ??= Buffer.from(
      `${copyText(this.keys.sku(n))}\t${this.dateKey}\t${this.keys.productKey(n)}\t`,
    ));
  }

  private keyBytes(dim: 'locations' | 'fulfilments' | 'statuses', n: number): Buffer {
    return (this.cached[dim][n] ??= Buffer.from(`${this.keys.key(dim, n)}\t`));
  }

  private groupBytes(n: number): Buffer {
    return (this.group[n] ??= Buffer.from(`${this.keys.groupKey(n)}\t`));
  }

  /** Lines from..to of a batch as COPY text in FACT_COLUMNS order. */
  encode(b: StagedBatch, from: number, to: number): Buffer {
    const w = new CopyTextWriter(Math.max(1 << 12, (to - from) * 200));
    for (let r = from; r < to; r++) {
      w.bytes(this.prefix).text(b.orderId[r]!).sep(false).bytes(this.productBytes(b.product[r]!));
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
      b.orderId[r]!,
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
