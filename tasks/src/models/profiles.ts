import type { Clustering } from './kmeans';

/** How a feature reads in words when a cluster sits well above or below the average. */
export interface FeatureWords {
  name: string;
  label: string;
  high: string;
  low: string;
}

export interface SegmentProfile {
  segmentId: number;
  name: string;
  members: number;
  realisedRevenue: number;
  description: string;
  /** Mean of each feature over the members, in the feature's own units. */
  means: Record<string, number>;
}

/** A trait needs the cluster mean this many standard deviations from the overall mean. */
const TRAIT_Z = 0.5;

const round = (v: number) => Math.round(v * 100) / 100;

/**
 * Names and describes each cluster from its members' raw feature means, compared with the whole
 * population in standard deviations: value level from `valueFeature`, then the most distinctive
 * trait ("high-value repeat buyers"). Names are unique: a clash takes the next trait, then a number.
 */
export function profileSegments(
  rows: Record<string, number>[],
  clustering: Clustering,
  words: FeatureWords[],
  valueFeature: string,
  noun: string,
): SegmentProfile[] {
  const n = rows.length;
  const names = words.map((w) => w.name);
  const overall = Object.fromEntries(names.map((f) => [f, rows.reduce((s, r) => s + r[f]!, 0) / n]));
  const sd = Object.fromEntries(
    names.map((f) => [f, Math.sqrt(rows.reduce((s, r) => s + (r[f]! - overall[f]!) ** 2, 0) / n) || 1]),
  );
  const used = new Set<string>();
  const profiles: SegmentProfile[] = [];
  for (let c = 0; c < clustering.k; c++) {
    const members = rows.filter((_, i) => clustering.labels[i] === c);
    if (!members.length) continue;
    const means = Object.fromEntries(names.map((f) => [f, members.reduce((s, r) => s + r[f]!, 0) / members.length]));
    const z = (f: string) => (means[f]! - overall[f]!) / sd[f]!;
    const vz = z(valueFeature);
    const level = vz > TRAIT_Z ? 'high-value' : vz < -TRAIT_Z ? 'low-value' : 'mid-value';
    const traits = words
      .filter((w) => w.name !== valueFeature && Math.abs(z(w.name)) >= TRAIT_Z)
      .sort((a, b) => Math.abs(z(b.name)) - Math.abs(z(a.name)))
      .map((w) => ({ word: z(w.name) > 0 ? w.high : w.low, w }));
    let name = '';
    for (const t of [...traits, { word: '', w: undefined }]) {
      name = [level, t.word, noun].filter(Boolean).join(' ');
      if (!used.has(name)) break;
    }
    for (let i = 2; used.has(name); i++) name = `${level} ${noun} (group ${i})`;
    used.add(name);
    const revenue = members.reduce((s, r) => s + r[valueFeature]!, 0);
    const facts = traits
      .slice(0, 3)
      .map(({ w }) => `${w.label} ${round(means[w.name]!)} vs ${round(overall[w.name]!)} overall`);
    const description =
      `${members.length} ${noun} (${((100 * members.length) / n).toFixed(1)}%), ` +
      `${round(revenue).toLocaleString('en-US')} realised revenue, mean ${round(means[valueFeature]!)} each` +
      (facts.length ? `; ${facts.join('; ')}.` : '; close to the average on every feature.');
    profiles.push({
      segmentId: c,
      name,
      members: members.length,
      realisedRevenue: round(revenue),
      description: description.slice(0, 512),
      means: Object.fromEntries(names.map((f) => [f, round(means[f]!)])),
    });
  }
  return profiles;
}
