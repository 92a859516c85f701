import type { Calibration, Location } from './calibration';
import { Catalogue } from './catalogue';
import * as F from './figures';
import { amountText } from './format';
import { messyCity, messyState } from './messy';
import { OrderIds } from './order-ids';
import { Prng, Weighted } from './prng';

/** What is constant across an order's lines (date, ship-to, B2B, fulfilment, status, promotions). */
export interface Order {
  id: string;
  nonAmazon: boolean;
  merchant: boolean;
  status: string;
  serviceLevel: string;
  ship: Location | null;
  promotions: string;
  b2b: boolean;
  unnamed22: boolean;
}

/** One line's own values: item, courier status, qty and amount (paise, null when missing). */
export interface Line {
  style: string;
  sku: string;
  category: string;
  size: string;
  asin: string;
  courier: string;
  qty: number;
  amount: number | null;
}

const NON_AMAZON_SHIP: Location = { city: 'Surat', state: 'Gujarat', postal: '394210.0' };

/** Draws orders and lines with the calibrated probabilities (see figures.ts). */
export class OrderModel {
  private readonly amazonStatus = new Weighted(F.AMAZON_STATUS);
  private readonly merchantStatus = new Weighted(F.MERCHANT_STATUS);
  private readonly prefixes = new Weighted(F.ORDER_PREFIXES);
  private readonly linesPerOrder = new Weighted(F.LINES_PER_ORDER);
  private readonly shippedQty = new Weighted(F.SHIPPED_QTY);
  private readonly nonAmazonQty = new Weighted(F.NON_AMAZON_QTY);
  private readonly categories: Weighted<string>;
  private readonly catalogue: Catalogue;
  private readonly ids: OrderIds;

  constructor(
    seed: number,
    private readonly cal: Calibration,
  ) {
    this.categories = new Weighted(cal.categories);
    this.catalogue = new Catalogue(
      seed,
      cal.categories.map(([c]) => c),
    );
    this.ids = new OrderIds(seed);
  }

  get catalogueSize() {
    return this.catalogue.size;
  }

  /** How many lines the next order has (before the day's remaining quota cuts it). */
  lineCount(rng: Prng): number {
    return this.linesPerOrder.draw(rng);
  }

  order(rng: Prng): Order {
    const nonAmazon = rng.chance(F.P_NON_AMAZON);
    const merchant = !nonAmazon && rng.chance(F.P_MERCHANT);
    const status = nonAmazon ? 'Shipped' : (merchant ? this.merchantStatus : this.amazonStatus).draw(rng);
    const standard = merchant || nonAmazon || rng.chance(F.P_AMAZON_STANDARD);
    const id = `${nonAmazon ? 'S02' : this.prefixes.draw(rng)}-${this.ids.take()}`;
    return {
      id,
      nonAmazon,
      merchant,
      status,
      serviceLevel: standard ? 'Standard' : 'Expedited',
      ship: nonAmazon ? NON_AMAZON_SHIP : this.shipTo(rng),
      promotions: nonAmazon ? '' : this.promotions(rng, merchant, status),
      b2b: !nonAmazon && rng.chance(F.P_B2B),
      unnamed22: rng.chance(F.P_UNNAMED_FALSE),
    };
  }

  private shipTo(rng: Prng): Location | null {
    if (rng.chance(F.P_SHIP_NULL)) return null;
    const real = rng.pick(this.cal.locations);
    const postal = rng.chance(F.P_POSTAL_PLACEHOLDER) ? '989898.0' : real.postal;
    const state = rng.chance(F.P_MESSY_STATE) ? messyState(rng, real.state, postal) : real.state;
    const city = rng.chance(F.P_MESSY_CITY) ? messyCity(rng, real.city, postal) : real.city;
    return { city, state, postal };
  }

  private promotions(rng: Prng, merchant: boolean, status: string): string {
    const cancelled = status === 'Cancelled';
    if (merchant) {
      if (cancelled || rng.chance(F.P_MERCHANT_NO_PROMO)) return '';
      const list = rng.pick(this.cal.merchantPromotions);
      const cut = rng.chance(F.P_SHORT_PROMO_LIST) ? 1 + rng.int(Math.min(7, list.length)) : list.length;
      return list.slice(0, cut).join(',');
    }
    const none = cancelled
      ? F.P_AMAZON_CANCELLED_NO_PROMO
      : status === 'Shipped' || status === 'Shipping'
        ? F.P_AMAZON_SHIPPED_NO_PROMO
        : 1;
    return rng.chance(none) ? '' : rng.pick(this.cal.amazonPromotions);
  }

  /** One line of the order: a SKU of a category drawn by the full file's mix, then its status-driven values. */
  line(rng: Prng, order: Order): Line {
    const item = this.catalogue.draw(rng, this.categories.draw(rng));
    return { ...item, ...this.lineValues(rng, order, item.category) };
  }

  /** Courier status, qty and amount as the status and fulfilment make them (see figures.ts). */
  lineValues(rng: Prng, order: Order, category: string): Pick<Line, 'courier' | 'qty' | 'amount'> {
    if (order.nonAmazon) return { courier: 'Unshipped', qty: this.nonAmazonQty.draw(rng), amount: null };
    // The pool holds real line totals (multi-qty lines included), so a drawn amount is not multiplied by Qty.
    const priced = (qty: number) => ({ qty, amount: this.amount(rng, category, false) });
    if (order.status === 'Cancelled') {
      if (order.merchant) {
        const courier = rng.chance(F.P_MERCHANT_CANCEL_NULL_COURIER) ? '' : 'Cancelled';
        if (rng.chance(F.P_MERCHANT_CANCEL_NULL_AMOUNT)) return { courier, qty: 0, amount: null };
        return { courier, qty: 0, amount: this.amount(rng, category, rng.chance(F.P_IMPUTED_FRACTIONAL)) };
      }
      if (rng.chance(F.P_AMAZON_CANCEL_UNPRICED)) return { courier: 'Cancelled', qty: 0, amount: null };
      return { courier: 'Unshipped', ...priced(1) };
    }
    if (order.status.startsWith('Pending') || order.status === 'Shipping') {
      return { courier: 'Unshipped', ...priced(1) };
    }
    if (!order.merchant && rng.chance(F.P_SHIPPED_COURIER_CANCELLED))
      return { courier: 'Cancelled', qty: 0, amount: null };
    return { courier: 'Shipped', ...priced(this.shippedQty.draw(rng)) };
  }

  /** A real amount of the category from the full file, whole rupees or (imputed) fractional, in paise. */
  private amount(rng: Prng, category: string, fractional: boolean): number {
    const fractions = this.cal.fractionalAmounts.get(category);
    const pool = (fractional && fractions?.length ? fractions : this.cal.wholeAmounts.get(category)) ?? fractions;
    return pool?.length ? pool[rng.int(pool.length)]! : 0;
  }

  /** The 24 source fields of a line, in source column order (index filled in by the writer). */
  fields(index: number, date: string, order: Order, line: Line): string[] {
    const ship = order.ship;
    return [
      String(index),
      order.id,
      date,
      order.status,
      order.merchant ? 'Merchant' : 'Amazon',
      order.nonAmazon ? 'Non-Amazon' : 'Amazon.in',
      order.serviceLevel,
      line.style,
      line.sku,
      line.category,
      line.size,
      line.asin,
      line.courier,
      String(line.qty),
      line.amount === null ? '' : 'INR',
      line.amount === null ? '' : amountText(line.amount),
      ship?.city ?? '',
      ship?.state ?? '',
      ship?.postal ?? '',
      ship ? 'IN' : '',
      order.promotions,
      order.b2b ? 'True' : 'False',
      order.merchant ? 'Easy Ship' : '',
      order.unnamed22 ? 'False' : '',
    ];
  }
}
