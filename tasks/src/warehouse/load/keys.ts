import { hash } from 'node:crypto';
import type { DayMembers } from '../silver/reader';

/**
 * Surrogate keys, computed by the loader the same way for both dialects: the first 60 bits of the
 * MD5 of the member's natural key, as a positive bigint. A member gets the same key whatever the
 * warehouse, the load order or the day it first appears (the value PostgreSQL's
 * `('x' || substr(md5(t), 1, 15))::bit(60)::bigint` and Redshift's `strtol(substring(md5(t), 1, 15), 16)`
 * give, so keys of warehouses loaded before keep matching).
 */
export function surrogateKey(text: string): string {
  let key = known.get(text);
  if (key === undefined) {
    key = BigInt(`0x${hash('md5', text, 'hex').slice(0, 15)}`).toString();
    if (known.size >= KNOWN_MAX) known.clear();
    known.set(text, key);
  }
  return key;
}

/**
 * Keys this process has computed, by natural key: a member recurs day after day in a history load,
 * and a day's product and promotion keys are asked for again when its members are staged. Bounded
 * (cleared when full), so a day of many distinct members costs a few MB at most.
 */
const known = new Map<string, string>();
const KNOWN_MAX = 1 << 16;

/**
 * Natural key text of a composite member: parts joined by the unit separator, NULL spelled as the
 * record separator, so (NULL, 'A') and ('', 'A') stay different members.
 */
export function naturalKey(parts: readonly (string | null)[]): string {
  return parts.map((p) => p ?? '\x1e').join('\x1f');
}

/** A promotion set's natural key: its distinct ids, sorted, joined by commas (silver split on commas). */
export function promotionSetKey(ids: readonly string[]): string {
  return [...new Set(ids)].sort().join(',');
}

/** Text order with NULL last, the order the type 1 product choice uses. */
function compareNullsLast(a: readonly (string | null)[], b: readonly (string | null)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Rows for the member tables of the day (load/statements.ts MEMBER_TABLES), keys included. */
export interface MemberRows {
  products: (string | null)[][];
  locations: (string | null)[][];
  fulfilments: (string | null)[][];
  statuses: (string | null)[][];
  promotions: string[][];
  groups: string[][];
}

/**
 * The day's members with their keys. Keys are computed once per member, when a line first needs
 * one (the encoder asks while silver is still being read).
 */
export class DayKeys {
  private readonly product: (string | undefined)[] = [];
  private readonly composite = { locations: [] as string[], fulfilments: [] as string[], statuses: [] as string[] };
  private readonly group: string[] = [];

  constructor(readonly members: DayMembers) {}

  /** The SKU of product member n (never NULL: the silver contract requires it). */
  sku(n: number): string {
    return this.members.products.member(n)[0]!;
  }

  productKey(n: number): string {
    return (this.product[n] ??= surrogateKey(this.sku(n)));
  }

  /** Key of member n of a composite dimension; member 0 is the unknown member, key 0. */
  key(dim: 'locations' | 'fulfilments' | 'statuses', n: number): string {
    if (n === 0) return '0';
    const cache = this.composite[dim];
    return (cache[n] ??= surrogateKey(naturalKey(this.members[dim].member(n))));
  }

  /** Group key of promotion list n; list 0 (no promotion) is group 0. */
  groupKey(n: number): string {
    if (n === 0) return '0';
    return (this.group[n] ??= surrogateKey(promotionSetKey(this.members.promotions.list(n))));
  }

  /** Every member of the day as member-table rows, once silver has been read whole. */
  rows(): MemberRows {
    const m = this.members;
    // Type 1 product: one version per SKU and day, the first of its variants in text order.
    const bySku = new Map<string, (string | null)[]>();
    for (const [, ...texts] of m.products.rows()) {
      const seen = bySku.get(texts[0]!);
      if (!seen || compareNullsLast(texts.slice(1), seen.slice(1)) < 0) bySku.set(texts[0]!, texts);
    }
    const composite = (dim: 'locations' | 'fulfilments' | 'statuses') =>
      m[dim].rows().map(([n, ...texts]) => [this.key(dim, Number(n)), naturalKey(texts), ...texts]);
    const promotions = new Map<string, string>();
    const groups = new Map<string, string[][]>();
    for (let n = 1; n <= m.promotions.count; n++) {
      const ids = [...new Set(m.promotions.list(n))];
      const group = this.groupKey(n);
      if (groups.has(group)) continue;
      for (const id of ids) promotions.set(id, surrogateKey(id));
      groups.set(
        group,
        ids.map((id) => [group, promotions.get(id)!, String(ids.length)]),
      );
    }
    return {
      products: [...bySku.values()].map((t) => [surrogateKey(t[0]!), ...t]),
      locations: composite('locations'),
      fulfilments: composite('fulfilments'),
      statuses: composite('statuses'),
      promotions: [...promotions].map(([id, key]) => [key, id]),
      groups: [...groups.values()].flat(),
    };
  }
}
