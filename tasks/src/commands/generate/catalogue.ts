import { Prng, Weighted } from './prng';

/** One sellable item: a style in one size. */
export interface Sku {
  style: string;
  sku: string;
  category: string;
  size: string;
  asin: string;
}

/**
 * How each category names its styles and SKUs, after the real file's shapes (`SET389-KR-NP-S`,
 * `JNE3781-KR-XXXL`, `J0341-DR-L`, `BL017-63BLACK`), and how many styles it has: 1,377 styles in
 * all [full], spread roughly as the categories' lines are.
 */
interface Family {
  styles: number;
  prefixes: [prefix: string, digits: number, infix: string][];
  sizes: 'ladder' | 'free' | 'mixed';
}
const FAMILIES: Record<string, Family> = {
  Set: {
    styles: 420,
    prefixes: [
      ['SET', 3, '-KR-NP'],
      ['SET', 3, '-KR-PP'],
      ['J0', 3, '-SKD'],
    ],
    sizes: 'ladder',
  },
  kurta: {
    styles: 557,
    prefixes: [
      ['JNE', 4, '-KR'],
      ['JNE', 4, '-KR-533'],
      ['J0', 3, '-KR'],
    ],
    sizes: 'ladder',
  },
  'Western Dress': {
    styles: 190,
    prefixes: [
      ['J0', 3, '-DR'],
      ['JNE', 4, '-DR'],
    ],
    sizes: 'ladder',
  },
  Top: {
    styles: 130,
    prefixes: [
      ['J0', 3, '-TP'],
      ['JNE', 4, '-TP'],
    ],
    sizes: 'ladder',
  },
  'Ethnic Dress': { styles: 35, prefixes: [['J0', 3, '-ED']], sizes: 'ladder' },
  Blouse: {
    styles: 25,
    prefixes: [
      ['BL', 3, '-63'],
      ['J0', 3, '-BL'],
    ],
    sizes: 'mixed',
  },
  Bottom: { styles: 12, prefixes: [['BTM', 3, '-PP']], sizes: 'ladder' },
  Saree: { styles: 5, prefixes: [['SAR', 3, '']], sizes: 'free' },
  Dupatta: { styles: 3, prefixes: [['DPT', 3, '']], sizes: 'free' },
};
const FALLBACK: Family = { styles: 5, prefixes: [['GEN', 3, '']], sizes: 'ladder' };

/** The size ladder and how often each size sells [sample]; SKUs spell 3XL as XXXL. */
const LADDER = ['XS', 'S', 'M', 'L', 'XL', 'XXL', '3XL'];
const LADDER_WEIGHT = [0.085, 0.13, 0.175, 0.165, 0.17, 0.145, 0.12];
const BIG = ['4XL', '5XL', '6XL'];
const RUN_LENGTH = new Weighted<number>([
  [3, 0.1],
  [4, 0.2],
  [5, 0.25],
  [6, 0.2],
  [7, 0.25],
]);
const COLOURS = ['BLACK', 'RED', 'BLUE', 'GREEN', 'PINK', 'WHITE', 'YELLOW', 'MAROON'];
const ASIN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const skuSize = (size: string) => (size === '3XL' ? 'XXXL' : size);

/**
 * A synthetic catalogue, the same for a given seed: per category, styles with their SKUs, and a
 * popularity that falls off like the real one (Zipf-like, exponent 1.6: a few styles sell most;
 * a 5,733-line window shows ~850 styles, as the sample shows 822).
 */
export class Catalogue {
  private readonly byCategory = new Map<string, Weighted<Weighted<Sku>>>();
  readonly size: { styles: number; skus: number };

  constructor(seed: number, categories: readonly string[]) {
    const rng = Prng.derive(seed, 'catalogue');
    const usedStyles = new Set<string>();
    const usedAsins = new Set<string>();
    let skus = 0;
    let styles = 0;
    for (const category of categories) {
      const family = FAMILIES[category] ?? FALLBACK;
      const entries: [Weighted<Sku>, number][] = [];
      for (let i = 0; i < family.styles; i++) {
        const [prefix, digits, infix] = rng.pick(family.prefixes);
        let style: string;
        do style = `${prefix}${String(rng.int(10 ** digits)).padStart(digits, '0')}`;
        while (usedStyles.has(style));
        usedStyles.add(style);
        const items = this.sizesOf(rng, family, category).map(([size, weight]): [Sku, number] => {
          let asin: string;
          do asin = `B0${Array.from({ length: 8 }, () => rng.pick([...ASIN_CHARS])).join('')}`;
          while (usedAsins.has(asin));
          usedAsins.add(asin);
          const colour = infix === '-63' ? rng.pick(COLOURS) : '';
          const sku = size === 'Free' ? `${style}${infix}${colour}` : `${style}${infix}-${skuSize(size)}`;
          return [{ style, sku, category, size, asin }, weight];
        });
        skus += items.length;
        entries.push([new Weighted(items), 1 / (i + 10) ** 1.6]);
      }
      styles += family.styles;
      this.byCategory.set(category, new Weighted(entries));
    }
    this.size = { styles, skus };
  }

  /** A contiguous run of 3..7 sizes (kurtas sometimes up to 6XL), or Free: 7,195 SKUs in all [full]. */
  private sizesOf(rng: Prng, family: Family, category: string): [string, number][] {
    if (family.sizes === 'free' || (family.sizes === 'mixed' && rng.chance(0.5))) return [['Free', 1]];
    const length = RUN_LENGTH.draw(rng);
    const start = rng.int(LADDER.length - length + 1);
    const sizes: [string, number][] = LADDER.slice(start, start + length).map((s, i) => [s, LADDER_WEIGHT[start + i]!]);
    if (category === 'kurta' && start + length === LADDER.length && rng.chance(0.2)) {
      for (const big of BIG) sizes.push([big, 0.01]);
    }
    return sizes;
  }

  /** One SKU of the category, popular styles and sizes more often. */
  draw(rng: Prng, category: string): Sku {
    const styles = this.byCategory.get(category);
    if (!styles) throw new Error(`no styles for category ${category}`);
    return styles.draw(rng).draw(rng);
  }
}
