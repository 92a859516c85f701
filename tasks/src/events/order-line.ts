import { z } from 'zod';
import { SOURCE_COLUMNS } from '../source/columns';
import { DATASET_ID } from '../source/dataset';

/** Topic names of the stream; the version is part of the name so a breaking change gets a new topic. */
export const ORDER_LINES_TOPIC = 'sales.order_lines.v1';
export const ORDER_LINES_DLQ = 'sales.order_lines.dlq';
export const ORDER_LINE_SCHEMA = 'sales.order_lines.v1';

/** Largest field we accept in an event; anything bigger is dead-lettered, not truncated. */
export const MAX_FIELD_BYTES = 64 * 1024;

const text = z.string().min(1).nullable();

/**
 * One order line as it travels on Kafka: the source values, with only what is needed to route and
 * order it typed (order date, qty, amount). Cleaning is the transform's job; nothing is dropped here.
 */
export const OrderLineEvent = z.object({
  schema: z.literal(ORDER_LINE_SCHEMA),
  dataset: z.string().regex(DATASET_ID),
  source: z.object({ uri: z.string().min(1), row: z.number().int().positive() }),
  order_date: z.iso.date(),
  line: z.object({
    index: text,
    order_id: z.string().min(1),
    date: z.string().min(1),
    status: text,
    fulfilment: text,
    sales_channel: text,
    ship_service_level: text,
    style: text,
    sku: text,
    category: text,
    size: text,
    asin: text,
    courier_status: text,
    qty: z.number().int().nonnegative().nullable(),
    currency: text,
    /** Exact decimal text of the line total (never a float), or null. */
    amount: z
      .string()
      .regex(/^-?\d+(\.\d+)?$/)
      .nullable(),
    ship_city: text,
    ship_state: text,
    ship_postal_code: text,
    ship_country: text,
    promotion_ids: text,
    b2b: text,
    fulfilled_by: text,
    unnamed_22: text,
  }),
});
export type OrderLineEvent = z.infer<typeof OrderLineEvent>;
export type OrderLine = OrderLineEvent['line'];

/** snake_case field of each source column, in source order. */
export const FIELD_OF: Record<(typeof SOURCE_COLUMNS)[number], keyof OrderLine> = {
  index: 'index',
  'Order ID': 'order_id',
  Date: 'date',
  Status: 'status',
  Fulfilment: 'fulfilment',
  'Sales Channel ': 'sales_channel',
  'ship-service-level': 'ship_service_level',
  Style: 'style',
  SKU: 'sku',
  Category: 'category',
  Size: 'size',
  ASIN: 'asin',
  'Courier Status': 'courier_status',
  Qty: 'qty',
  currency: 'currency',
  Amount: 'amount',
  'ship-city': 'ship_city',
  'ship-state': 'ship_state',
  'ship-postal-code': 'ship_postal_code',
  'ship-country': 'ship_country',
  'promotion-ids': 'promotion_ids',
  B2B: 'b2b',
  'fulfilled-by': 'fulfilled_by',
  'Unnamed: 22': 'unnamed_22',
};
