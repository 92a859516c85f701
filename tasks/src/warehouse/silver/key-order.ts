import type { Members } from '../members';
import { reject, textAt, type Utf8Values } from './columns';

/** A line's place and key. */
interface Line {
  file: string;
  /** 0-based row in its file. */
  row: number;
  orderId: string;
  sku: string;
}

/** a vs b as unsigned bytes: negative, 0 or positive. */
function compareBytes(a: Uint8Array, aStart: number, aLength: number, b: Uint8Array, bStart: number, bLength: number) {
  const n = Math.min(aLength, bLength);
  for (let i = 0; i < n; i++) {
    const d = a[aStart + i]! - b[bStart + i]!;
    if (d !== 0) return d;
  }
  return aLength - bLength;
}

/** Two texts in UTF-8 byte order (JavaScript's < compares UTF-16 units, which differs above U+FFFF). */
const compareUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * The fact's grain, checked as a date's lines stream past: they come sorted by (order_id, sku) in
 * UTF-8 byte order, each key once, across the date's files in name order (docs/contracts.md; the
 * Glue job writes a date so, glue/jobs/order_lines/publish.py). Comparing neighbours needs no
 * memory however large the date is, and gives both dialects one guarantee: Redshift does not
 * enforce a primary key, and PostgreSQL's fact declares none (docs/warehouse.md, "Grain").
 */
export class KeyOrder {
  /** The last line checked: where it is, its order id's bytes and its SKU. */
  private last?: { file: string; row: number; orderId: Uint8Array; sku: string };

  /**
   * Checks rows start.. of a file, continuing from the line checked last.
   * @param product the lines' product members (the SKU is a product's first column)
   * @throws InputRejectedError naming the file, row and column of the first line out of order or repeated
   */
  check(file: string, start: number, orderId: Utf8Values, product: Int32Array, products: Members): void {
    const { heap, starts, lengths } = orderId;
    const length = lengths.length;
    if (length === 0) return;
    const prev = this.last;
    const sku = (r: number) => products.valueAt(product[r]!, 0) ?? '';
    for (let r = 0; r < length; r++) {
      const c =
        r > 0
          ? compareBytes(heap, starts[r - 1]!, lengths[r - 1]!, heap, starts[r]!, lengths[r]!)
          : prev
            ? compareBytes(prev.orderId, 0, prev.orderId.length, heap, starts[0]!, lengths[0]!)
            : -1;
      if (c < 0) continue;
      // Equal order ids (an order of several lines, or a repeat): the SKUs decide.
      const before: Line =
        r > 0
          ? { file, row: start + r - 1, orderId: textAt(orderId, r - 1), sku: sku(r - 1) }
          : { ...prev!, orderId: Buffer.from(prev!.orderId).toString('utf8') };
      const line: Line = { file, row: start + r, orderId: textAt(orderId, r), sku: sku(r) };
      if (c === 0 && compareUtf8(before.sku, line.sku) < 0) continue;
      refuse(line, before, c === 0);
    }
    const r = length - 1;
    this.last = { file, row: start + r, orderId: heap.slice(starts[r]!, starts[r]! + lengths[r]!), sku: sku(r) };
  }
}

/** The error for `line`, which repeats `before` or sorts before it. */
function refuse(line: Line, before: Line, sameOrderId: boolean): never {
  const where = `row ${before.row + 1}${before.file === line.file ? '' : ` of ${before.file}`}`;
  const key = `(order_id ${line.orderId}, sku ${line.sku})`;
  if (sameOrderId && before.sku === line.sku)
    throw reject(
      line.file,
      line.row,
      'order_id, sku',
      `${key} repeats the line of ${where}: a date holds each (order_id, sku) once, the fact's grain`,
      line.orderId,
    );
  throw reject(
    line.file,
    line.row,
    sameOrderId ? 'sku' : 'order_id',
    `${key} sorts before the line of ${where} (order_id ${before.orderId}, sku ${before.sku}): a date's lines ` +
      'come sorted by (order_id, sku) in UTF-8 byte order across its files in name order, as the Glue ' +
      'job writes them (docs/contracts.md)',
    line.orderId,
  );
}
