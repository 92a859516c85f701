import type { Dialect } from './model-types';
import { SILVER_COLUMNS, STAGED_COLUMNS, type SilverKind } from './silver-contract';

/**
 * SQL of the staging half of a load: the temporary table silver lands in, and the promotion sets
 * derived from it. Only these statements differ between the dialects; the merge (merge-sql.ts)
 * reads the same temporary tables in both.
 */
export const STAGE = 'stage_order_lines';
export const PROMO_SETS = 'stage_promotion_sets';
export const PROMO_MEMBERS = 'stage_promotion_members';
/** PostgreSQL: each distinct promotion list of the day once, (number, array literal). */
export const PROMO_LISTS = 'stage_promotion_lists';

/** Staged name of a silver column: the promotion list becomes its number on PostgreSQL. */
export function stagedName(c: { name: string; kind: SilverKind }): string {
  return c.kind === 'strings' ? 'promotion_list' : c.name;
}

const pgType: Record<SilverKind, string> = {
  string: 'text',
  date: 'date',
  int: 'int',
  bigint: 'bigint',
  boolean: 'boolean',
  decimal: 'numeric(12,2)',
  // A line's promotion list is staged as its number in PROMO_LISTS (silver-reader.ts).
  strings: 'int',
};
// Redshift: lists arrive as SUPER (COPY ... SERIALIZETOJSON); text as wide VARCHAR, since the
// limits of the warehouse columns are checked when the rows move on, naming the column.
const rsType: Record<SilverKind, string> = { ...pgType, string: 'varchar(4096)', strings: 'super' };

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
 * The temporary staging table. PostgreSQL stages the columns the warehouse reads (the local
 * loader streams exactly those); Redshift stages every silver column in contract order because
 * its Parquet COPY maps columns by position.
 */
export function createStageSql(d: Dialect): string[] {
  if (d === 'postgres') {
    const cols = STAGED_COLUMNS.map((c) => `${stagedName(c)} ${pgType[c.kind]}`).join(', ');
    return [
      `create temp table ${STAGE} (${cols}) on commit drop`,
      `create temp table ${PROMO_LISTS} (promotion_list int, ids text[]) on commit drop`,
    ];
  }
  const cols = SILVER_COLUMNS.map((c) => `${c.name} ${rsType[c.kind]}`).join(', ');
  return [`create temp table ${STAGE} (${cols})`];
}

/**
 * Each distinct promotion set of the day, keyed by the hash of its sorted distinct ids joined by
 * commas (silver split the source on commas, so no id contains one), and its members.
 * PostgreSQL starts from the day's distinct lists (PROMO_LISTS); Redshift unnests the staged
 * SUPER arrays and compares their JSON text.
 */
export function promotionSetsSql(d: Dialect): string[] {
  if (d === 'postgres') {
    return [
      `create temp table ${PROMO_SETS} on commit drop as
       select promotion_list, ids, ${hashKey(d, 'canonical')} as promotion_group_key, size
       from (
         select promotion_list, ids,
                (select string_agg(distinct x, ',' order by x) from unnest(ids) as x) as canonical,
                (select count(distinct x) from unnest(ids) as x) as size
         from ${PROMO_LISTS}
       ) as c`,
      `create temp table ${PROMO_MEMBERS} on commit drop as
       select distinct s.promotion_group_key, s.size, x as promotion_id
       from ${PROMO_SETS} as s, unnest(s.ids) as x`,
    ];
  }
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
export function promotionSetJoin(d: Dialect): string {
  return d === 'postgres' ? 'ps.promotion_list = s.promotion_list' : 'ps.ids = json_serialize(s.promotion_ids)';
}

/** Redshift's members carry the set's JSON; PostgreSQL's carry the group key already. */
export function membersWithGroupKey(d: Dialect): string {
  return d === 'postgres'
    ? `select promotion_group_key, size, promotion_id from ${PROMO_MEMBERS}`
    : `select ps.promotion_group_key, ps.size, m.promotion_id from ${PROMO_MEMBERS} as m join ${PROMO_SETS} as ps on ps.ids = m.ids`;
}

/** Statements that drop the temporary tables (Redshift has no ON COMMIT DROP). */
export function dropStageSql(d: Dialect): string[] {
  const temps = [PROMO_SETS, PROMO_MEMBERS, 'stage_products', STAGE];
  return d === 'redshift' ? temps.map((t) => `drop table if exists ${t}`) : [];
}
