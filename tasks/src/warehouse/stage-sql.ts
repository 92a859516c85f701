import type { Dialect } from './model/types';
import { SILVER_COLUMNS, type SilverKind } from './silver/contract';

/**
 * SQL of the staging half of a Redshift load: the temporary table its Parquet COPY fills, and the
 * promotion sets derived from it; merge-sql.ts reads them. (The local PostgreSQL load stages
 * numbered members instead: merge-postgres.ts.) `hashKey` and `naturalKey` serve both dialects.
 */
export const STAGE = 'stage_order_lines';
export const PROMO_SETS = 'stage_promotion_sets';
export const PROMO_MEMBERS = 'stage_promotion_members';

// Lists arrive as SUPER (COPY ... SERIALIZETOJSON); text as wide VARCHAR, since the limits of the
// warehouse columns are checked when the rows move on, naming the column.
const rsType: Record<SilverKind, string> = {
  string: 'varchar(4096)',
  date: 'date',
  int: 'int',
  bigint: 'bigint',
  boolean: 'boolean',
  decimal: 'numeric(12,2)',
  strings: 'super',
};

/** 60-bit surrogate key from a text: the same number in both dialects for the same text. */
export function hashKey(d: Dialect, text: string): string {
  return d === 'redshift'
    ? `strtol(substring(md5(${text}), 1, 15), 16)`
    : `('x' || substr(md5(${text}), 1, 15))::bit(60)::bigint`;
}

/**
 * Natural key text of a composite member: parts joined by the unit separator, NULL spelled as the
 * record separator, so (NULL, 'A') and ('', 'A') stay different members.
 */
export function naturalKey(parts: string[]): string {
  return parts.map((p) => `coalesce(${p}, chr(30))`).join(' || chr(31) || ');
}

/**
 * The temporary staging table: every silver column in contract order, because Redshift's Parquet
 * COPY maps columns by position.
 */
export function createStageSql(): string[] {
  const cols = SILVER_COLUMNS.map((c) => `${c.name} ${rsType[c.kind]}`).join(', ');
  return [`create temp table ${STAGE} (${cols})`];
}

/**
 * Each distinct promotion set of the day, keyed by the hash of its sorted distinct ids joined by
 * commas (silver split the source on commas, so no id contains one), and its members: the staged
 * SUPER arrays unnested, sets compared by their JSON text.
 */
export function promotionSetsSql(): string[] {
  const d = 'redshift';
  return [
    `create temp table ${PROMO_MEMBERS} as
     select distinct json_serialize(s.promotion_ids) as ids, p::varchar(256) as promotion_id
     from ${STAGE} as s, s.promotion_ids as p`,
    `create temp table ${PROMO_SETS} as
     select ids, ${hashKey(d, 'canonical')} as promotion_group_key, size
     from (
       select ids, listagg(promotion_id, ',') within group (order by promotion_id) as canonical,
              count(*) as size
       from ${PROMO_MEMBERS} group by ids
     ) as c`,
  ];
}

/** How the fact finds a line's promotion set: the join condition on PROMO_SETS `ps`. */
export const PROMOTION_SET_JOIN = 'ps.ids = json_serialize(s.promotion_ids)';

/** The members of each set with the set's group key. */
export const MEMBERS_WITH_GROUP_KEY = `select ps.promotion_group_key, ps.size, m.promotion_id from ${PROMO_MEMBERS} as m join ${PROMO_SETS} as ps on ps.ids = m.ids`;

/** Statements that drop the temporary tables (Redshift has no ON COMMIT DROP); none on PostgreSQL. */
export function dropStageSql(d: Dialect): string[] {
  const temps = [PROMO_SETS, PROMO_MEMBERS, 'stage_products', STAGE];
  return d === 'redshift' ? temps.map((t) => `drop table if exists ${t}`) : [];
}
