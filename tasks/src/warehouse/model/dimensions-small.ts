import type { Table } from './types';

/** The small "junk" dimensions and the promotion dimension with its group bridge. */
const all = (sortkey: string, what: string) => ({
  diststyle: 'all' as const,
  sortkey: [sortkey],
  reason: `${what}: copied to every node so joins from the fact stay local; sorted by the loader's lookup key`,
});

export const dimFulfilment: Table = {
  name: 'dim_fulfilment',
  doc: 'How a line was sold and shipped: a handful of combinations',
  columns: [
    { name: 'fulfilment_key', type: 'bigint', doc: 'hash of natural_key' },
    { name: 'natural_key', type: 'varchar(256)', nullable: true, doc: 'the four parts joined; NULL on unknown' },
    { name: 'fulfilment', type: 'varchar(16)', nullable: true, doc: 'Amazon, Merchant' },
    { name: 'sales_channel', type: 'varchar(16)', nullable: true, doc: 'Amazon.in, Non-Amazon' },
    { name: 'ship_service_level', type: 'varchar(16)', nullable: true, doc: 'Expedited, Standard' },
    { name: 'fulfilled_by', type: 'varchar(32)', nullable: true, doc: 'Easy Ship exactly for Merchant lines' },
  ],
  primaryKey: ['fulfilment_key'],
  redshift: all('natural_key', 'under ten rows'),
  postgres: {
    indexes: [{ name: 'dim_fulfilment_nk_uq', columns: ['natural_key'], unique: true, reason: 'loader lookup' }],
  },
  unknownMember: {
    fulfilment_key: '0',
    fulfilment: "'Unknown'",
    sales_channel: "'Unknown'",
    ship_service_level: "'Unknown'",
    fulfilled_by: "'Unknown'",
  },
};

export const dimStatus: Table = {
  name: 'dim_status',
  doc: 'Order status, courier status and the status bucket the revenue rules use',
  columns: [
    { name: 'status_key', type: 'bigint', doc: 'hash of natural_key' },
    { name: 'natural_key', type: 'varchar(256)', nullable: true, doc: 'the three parts joined; NULL on unknown' },
    { name: 'status', type: 'varchar(64)', nullable: true, doc: 'raw status (13 values)' },
    { name: 'courier_status', type: 'varchar(32)', nullable: true, doc: 'Shipped, Unshipped, Cancelled or NULL' },
    { name: 'status_bucket', type: 'varchar(16)', nullable: true, doc: 'realised, cancelled, returned, ...' },
  ],
  primaryKey: ['status_key'],
  redshift: all('natural_key', 'a few dozen rows'),
  postgres: {
    indexes: [{ name: 'dim_status_nk_uq', columns: ['natural_key'], unique: true, reason: 'loader lookup' }],
  },
  unknownMember: { status_key: '0', status: "'Unknown'", courier_status: "'Unknown'", status_bucket: "'unknown'" },
};

export const dimPromotion: Table = {
  name: 'dim_promotion',
  doc: 'One row per promotion id',
  columns: [
    { name: 'promotion_key', type: 'bigint', doc: 'hash of promotion_id' },
    { name: 'promotion_id', type: 'varchar(256)', nullable: true, doc: 'natural key; NULL on unknown' },
    {
      name: 'promotion_type',
      type: 'varchar(32)',
      doc: 'from the id prefix: plcc_free_financing, free_shipping, voucher, duplicated, subscribe_and_save, other',
    },
  ],
  primaryKey: ['promotion_key'],
  redshift: all('promotion_id', 'hundreds of ids'),
  postgres: {
    indexes: [{ name: 'dim_promotion_id_uq', columns: ['promotion_id'], unique: true, reason: 'loader lookup' }],
  },
  unknownMember: { promotion_key: '0', promotion_type: "'unknown'" },
};

export const bridgeOrderLinePromotion: Table = {
  name: 'bridge_order_line_promotion',
  doc:
    'Order line <-> promotion, through the line promotion group (the set of ids a line carries): ' +
    'each distinct set is stored once, not once per line',
  columns: [
    { name: 'promotion_group_key', type: 'bigint', doc: 'hash of the sorted distinct ids (fact_order_lines has it)' },
    { name: 'promotion_key', type: 'bigint', doc: 'one promotion of the group' },
    { name: 'group_size', type: 'smallint', doc: 'distinct promotions in the group' },
    {
      name: 'weighting_factor',
      type: 'numeric(9,6)',
      doc: '1 / group_size: allocates a line amount over its promotions',
    },
  ],
  primaryKey: ['promotion_group_key', 'promotion_key'],
  redshift: {
    diststyle: 'all',
    sortkey: ['promotion_group_key'],
    reason:
      'a few hundred groups (289 in the sample for 38,653 line-promotion pairs): copied to every node; ' +
      'sorted by the group key the fact joins on',
  },
  // The primary key (group, promotion) serves the only access path, from a line's group.
  postgres: { indexes: [] },
};
