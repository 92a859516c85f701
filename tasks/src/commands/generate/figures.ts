/**
 * The reference figures the generator is calibrated to. [full] = published profile of the full
 * Kaggle file (../shared/DATA.md and category_amount_full.csv); [sample] = measured on the real
 * extract. Where the full file gives a marginal and the sample a conditional, the conditional is
 * scaled so that the marginal comes out right (the arithmetic is in docs/ingest.md).
 */

/** Lines of the full file [full]; the default size of a generated file. */
export const FULL_ROWS = 128_975;
export const DEFAULT_FROM = '2022-03-31';
export const DEFAULT_TO = '2022-06-29';

/** Non-null Amount per month [full]: the share of lines per day follows it. */
export const MONTH_AMOUNT: Record<string, { total: number; days: number }> = {
  '2022-04': { total: 28_838_708.32, days: 30 },
  '2022-05': { total: 26_226_476.75, days: 31 },
  '2022-06': { total: 23_425_809.38, days: 29 },
};
/** 2022-03-31 is the partial day the file starts with (only its tail): its own amount [full]. */
export const DAY_AMOUNT: Record<string, number> = { '2022-03-31': 101_683.85 };

/** Non-Amazon lines: 124 of 128,975 [full]; single-line orders shipped from Surat [sample]. */
export const P_NON_AMAZON = 124 / 128_975;
/** Merchant-fulfilled share of Amazon.in orders (30.45% of all lines [full]). */
export const P_MERCHANT = 0.3045 / (1 - P_NON_AMAZON);
/** Amazon-fulfilled orders at Standard service level (65 of 3,845 [sample]); Merchant is always Standard. */
export const P_AMAZON_STANDARD = 65 / 3_845;

/**
 * Status by fulfilment. The 13 values and their counts are [full]; the split by fulfilment follows
 * the sample (Amazon-fulfilled lines are Shipped, Cancelled, Pending or Shipping) and the 69.55%
 * Amazon share, which puts 11,232 Cancelled lines with Amazon and 7,100 with Merchant.
 */
export const AMAZON_STATUS: [string, number][] = [
  ['Shipped', 77_680],
  ['Cancelled', 11_232],
  ['Pending', 658],
  ['Shipping', 8],
];
export const MERCHANT_STATUS: [string, number][] = [
  ['Shipped - Delivered to Buyer', 28_769],
  ['Cancelled', 7_100],
  ['Shipped - Returned to Seller', 1_953],
  ['Shipped - Picked Up', 973],
  ['Pending - Waiting for Pick Up', 281],
  ['Shipped - Returning to Seller', 145],
  ['Shipped - Out for Delivery', 35],
  ['Shipped - Rejected by Buyer', 11],
  ['Shipped - Lost in Transit', 5],
  ['Shipped - Damaged', 1],
];

/**
 * Lines per order: 128,975 lines / 120,378 orders = 1.0714 [full]; the shape is the sample's
 * (1: 5,120, 2: 223, 3: 30, 4: 11, 5: 4, 6: 1, 7: 1) with its tail stretched to that mean.
 */
export const LINES_PER_ORDER: [number, number][] = [
  [1, 0.95],
  [2, 0.038],
  [3, 0.0075],
  [4, 0.0025],
  [5, 0.001],
  [6, 0.0004],
  [7, 0.0003],
  [8, 0.0002],
  [10, 0.0001],
];

/** Amazon Cancelled line: courier `Cancelled`, Qty 0, no amount (else `Unshipped`, Qty 1, priced). */
export const P_AMAZON_CANCEL_UNPRICED = 0.512;
/** Merchant Cancelled line: Amount null (else an imputed price), Qty 0 [sample 94/338, scaled]. */
export const P_MERCHANT_CANCEL_NULL_AMOUNT = 0.257;
/** Imputed prices on Merchant Cancelled lines are fractional (647.62) [sample 225/244; full 4,651]. */
export const P_IMPUTED_FRACTIONAL = 0.882;
/** Courier Status is null on Merchant Cancelled lines (5.33% of all lines [full]). */
export const P_MERCHANT_CANCEL_NULL_COURIER = 0.968;
/** A Shipped Amazon line whose courier says Cancelled, Qty 0, no amount [sample 4/3,369]. */
export const P_SHIPPED_COURIER_CANCELLED = 0.0012;
/** Qty of a priced line: almost always 1; the mean puts Sum(Qty) at 116,649 [full]. */
export const SHIPPED_QTY: [number, number][] = [
  [1, 0.9971],
  [2, 0.0025],
  [3, 0.0003],
  [4, 0.0001],
];
/** Qty of Non-Amazon lines (1, 2, 9, 13, 15 seen [sample]). */
export const NON_AMAZON_QTY: [number, number][] = [
  [1, 0.69],
  [2, 0.13],
  [3, 0.05],
  [5, 0.04],
  [9, 0.04],
  [13, 0.03],
  [15, 0.02],
];

/** promotion-ids null: 38% [full]. Amazon Shipped lines without a promotion [sample 0.36, scaled]. */
export const P_AMAZON_SHIPPED_NO_PROMO = 0.393;
export const P_AMAZON_CANCELLED_NO_PROMO = 0.94;
/** Merchant lines that are not cancelled nearly always carry the PLCC list [sample 1,533/1,534]. */
export const P_MERCHANT_NO_PROMO = 0.001;
/** Share of Merchant promotion lists cut short, so lists of 1..7 ids exist beside the usual 8..33. */
export const P_SHORT_PROMO_LIST = 0.03;

/** B2B True: 871 lines (0.68%) [full]. */
export const P_B2B = 871 / 128_975;
/** `Unnamed: 22` = False on 79,925 lines [full]; empty otherwise. */
export const P_UNNAMED_FALSE = 79_925 / 128_975;
/** The four ship-* columns null together: 33 lines [full]. */
export const P_SHIP_NULL = 33 / 128_975;
/** Postal code placeholder 989898 (rare). */
export const P_POSTAL_PLACEHOLDER = 5 / 128_975;
/** About 7 duplicated (Order ID, SKU) keys [full]. */
export const P_DUPLICATE_LINE = 7 / 128_975;
/** Orders whose city or state spelling is made messier than the sampled one (the full file has 69 state spellings). */
export const P_MESSY_STATE = 0.01;
export const P_MESSY_CITY = 0.01;

/** Order ID prefixes of Amazon.in orders [sample]; Non-Amazon orders use `S02`. */
export const ORDER_PREFIXES: [string, number][] = [
  ['171', 736],
  ['402', 723],
  ['403', 665],
  ['404', 670],
  ['405', 731],
  ['406', 659],
  ['407', 667],
  ['408', 866],
];
