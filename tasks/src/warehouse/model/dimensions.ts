import type { Table } from './types';

/**
 * Dimensions. Surrogate keys are 60-bit hashes of the natural key (see `keys` in load-sql.ts):
 * the same member gets the same key whatever order the dates are loaded in, in both dialects.
 * Dimensions are small, so Redshift copies each to every node (DISTSTYLE ALL) and every join
 * from the fact stays local; the sort key is the natural key the loader looks members up by.
 */
const dimRedshift = (sortkey: string, what: string) => ({
  diststyle: 'all' as const,
  sortkey: [sortkey],
  reason: `${what}: small, so copied to every node (joins from the fact never move rows); sorted by the natural key the loader matches on`,
});

export const dimDate: Table = {
  name: 'dim_date',
  doc: 'One row per calendar day of every year the data touches, with Indian public holidays',
  columns: [
    { name: 'date_key', type: 'int', doc: 'YYYYMMDD: readable and ordered like the date' },
    { name: 'full_date', type: 'date', nullable: true, doc: 'NULL only on the unknown member' },
    { name: 'day_of_month', type: 'smallint', doc: '1..31' },
    { name: 'day_name', type: 'varchar(9)', doc: 'Monday..Sunday' },
    { name: 'iso_day_of_week', type: 'smallint', doc: '1 = Monday .. 7 = Sunday' },
    { name: 'is_weekend', type: 'boolean', doc: 'Saturday or Sunday' },
    { name: 'iso_week', type: 'smallint', doc: 'ISO 8601 week number' },
    { name: 'iso_week_year', type: 'smallint', doc: 'the year the ISO week belongs to' },
    { name: 'week_start', type: 'date', nullable: true, doc: 'Monday of the ISO week' },
    { name: 'month', type: 'smallint', doc: '1..12' },
    { name: 'month_name', type: 'varchar(9)', doc: 'January..December' },
    { name: 'year_month', type: 'varchar(7)', doc: 'YYYY-MM, for grouping and labels' },
    { name: 'quarter', type: 'smallint', doc: '1..4' },
    { name: 'year', type: 'smallint', doc: 'calendar year' },
    { name: 'is_public_holiday', type: 'boolean', doc: 'a gazetted central-government holiday' },
    { name: 'holiday_name', type: 'varchar(96)', nullable: true, doc: 'name as gazetted' },
    {
      name: 'holidays_known',
      type: 'boolean',
      doc: 'true when the holiday list of that year is loaded (2022); false: is_public_holiday means nothing',
    },
  ],
  primaryKey: ['date_key'],
  redshift: dimRedshift('date_key', 'one row per day'),
  postgres: {
    indexes: [{ name: 'dim_date_full_date_uq', columns: ['full_date'], unique: true, reason: 'one row per day' }],
  },
  unknownMember: {
    date_key: '0',
    day_of_month: '0',
    day_name: "'Unknown'",
    iso_day_of_week: '0',
    is_weekend: 'false',
    iso_week: '0',
    iso_week_year: '0',
    month: '0',
    month_name: "'Unknown'",
    year_month: "'Unknown'",
    quarter: '0',
    year: '0',
    is_public_holiday: 'false',
    holidays_known: 'false',
  },
};

export const dimProduct: Table = {
  name: 'dim_product',
  doc: 'One row per SKU; type 1: attributes are those of the latest order date seen (see docs/warehouse.md)',
  columns: [
    { name: 'product_key', type: 'bigint', doc: 'hash of sku' },
    { name: 'sku', type: 'varchar(64)', nullable: true, doc: 'natural key; NULL only on the unknown member' },
    { name: 'style', type: 'varchar(32)', nullable: true, doc: 'the SKU prefix' },
    { name: 'asin', type: 'varchar(16)', nullable: true, doc: 'Amazon listing id' },
    { name: 'category', type: 'varchar(32)', nullable: true, doc: 'as in the source (kurta lower case)' },
    { name: 'size', type: 'varchar(8)', nullable: true, doc: 'XS..6XL, Free' },
    { name: 'attributes_as_of', type: 'date', nullable: true, doc: 'order date the attributes come from' },
    { name: 'first_seen_dt', type: 'date', nullable: true, doc: 'earliest order date loaded' },
    { name: 'last_seen_dt', type: 'date', nullable: true, doc: 'latest order date loaded' },
  ],
  primaryKey: ['product_key'],
  redshift: dimRedshift('sku', '~7,200 SKUs'),
  postgres: {
    indexes: [{ name: 'dim_product_sku_uq', columns: ['sku'], unique: true, reason: 'loader lookup by SKU' }],
  },
  unknownMember: { product_key: '0', style: "'Unknown'", asin: "'Unknown'", category: "'Unknown'", size: "'Unknown'" },
};

export const dimLocation: Table = {
  name: 'dim_location',
  doc: 'One row per shipping address (postal code, city, state, country) with the PIN-zone region',
  columns: [
    { name: 'location_key', type: 'bigint', doc: 'hash of natural_key' },
    { name: 'natural_key', type: 'varchar(512)', nullable: true, doc: 'the four parts joined; NULL on unknown' },
    { name: 'postal_code', type: 'varchar(6)', nullable: true, doc: '6-digit PIN, NULL when silver had none' },
    { name: 'city', type: 'varchar(128)', nullable: true, doc: 'normalised city' },
    { name: 'state', type: 'varchar(64)', nullable: true, doc: 'one of the 36 states/UTs' },
    { name: 'country', type: 'varchar(8)', nullable: true, doc: 'IN' },
    { name: 'pin_zone', type: 'smallint', doc: 'first PIN digit 1..9, 0 when no PIN' },
    { name: 'region', type: 'varchar(24)', doc: 'North, West, South, East, Army Postal Service, Unknown' },
  ],
  primaryKey: ['location_key'],
  redshift: dimRedshift('natural_key', 'a few thousand addresses'),
  postgres: {
    indexes: [{ name: 'dim_location_nk_uq', columns: ['natural_key'], unique: true, reason: 'loader lookup' }],
  },
  unknownMember: { location_key: '0', pin_zone: '0', region: "'Unknown'", state: "'Unknown'", city: "'Unknown'" },
};
