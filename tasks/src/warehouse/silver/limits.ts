import { dimFulfilment, dimLocation, dimProduct, dimPromotion, dimStatus, factOrderLines } from '../model/tables';
import type { Table } from '../model/types';

const len = (t: Table, col: string) => Number(/\((\d+)\)/.exec(t.columns.find((c) => c.name === col)!.type)![1]);

/** Longest text the warehouse column behind each staged silver string takes (characters). */
export const LIMITS: Record<string, number> = {
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
