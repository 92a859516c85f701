import type { Prng } from './prng';

/**
 * Spellings the full file uses besides the sampled ones (../shared/DATA.md: 69 raw spellings of 36
 * states/UTs): misspellings, abbreviations, a city as state, outdated names, truncations. Keyed by
 * the upper-case, trimmed state.
 */
const STATE_VARIANTS: Record<string, string[]> = {
  RAJASTHAN: ['Rajshthan', 'rajsthan', 'RJ', 'Rajasthan', 'rajasthan'],
  PUNJAB: ['PB', 'Punjab', 'punjab', 'Punjab/Mohali/Zirakpur'],
  NAGALAND: ['NL', 'Nagaland'],
  'ARUNACHAL PRADESH': ['AR', 'Arunachal Pradesh'],
  DELHI: ['New Delhi', 'Delhi', 'delhi'],
  ODISHA: ['orissa', 'Orissa', 'Odisha'],
  PUDUCHERRY: ['Pondicherry', 'Puducherry'],
  'ANDAMAN & NICOBAR ': ['Andaman & Nicobar '],
  'JAMMU & KASHMIR': ['Jammu & Kashmir'],
  'WEST BENGAL': ['West Bengal'],
  GOA: ['Goa'],
  MIZORAM: ['Mizoram'],
  SIKKIM: ['Sikkim'],
  MEGHALAYA: ['Meghalaya'],
  CHANDIGARH: ['Chandigarh'],
  BIHAR: ['Bihar'],
  MANIPUR: ['Manipur'],
};

/** Cities spelled two ways in the file. */
const CITY_ALIASES: Record<string, string> = {
  BENGALURU: 'BANGALORE',
  BANGALORE: 'BENGALURU',
  GURUGRAM: 'GURGAON',
  GURGAON: 'GURUGRAM',
  MUMBAI: 'Bombay',
};
const JUNK_CITIES = ['.', 'NA', '-', '0'];

const title = (s: string) => s.toLowerCase().replace(/\b[a-z]/g, (c) => c.toUpperCase());

/**
 * A messier spelling of a state: one of the file's known variants, a state wrong for its PIN
 * (Hyderabad's 500xxx labelled ANDHRA PRADESH), or now and then `APO` (army post office).
 */
export function messyState(rng: Prng, state: string, postal: string): string {
  const canonical = state.toUpperCase();
  if (canonical === 'TELANGANA' && postal.startsWith('50')) return 'ANDHRA PRADESH';
  const variants = STATE_VARIANTS[canonical];
  if (variants) return rng.pick(variants);
  return rng.chance(0.05) ? 'APO' : state;
}

/** A messier city: another case, trailing punctuation, an embedded PIN, an alias, or junk. */
export function messyCity(rng: Prng, city: string, postal: string): string {
  const pin = postal.replace(/\.0$/, '');
  const upper = city.trim().toUpperCase();
  switch (rng.int(8)) {
    case 0:
      return city.toLowerCase();
    case 1:
      return title(city);
    case 2:
      return `${title(city)}.`;
    case 3:
      return `${upper}-${pin}`;
    case 4:
      return `${upper} ${pin}`;
    case 5:
      return CITY_ALIASES[upper] ?? `${title(city)},`;
    case 6:
      return `Near bus stand, ${title(city)}`;
    default:
      return rng.pick(JUNK_CITIES);
  }
}
