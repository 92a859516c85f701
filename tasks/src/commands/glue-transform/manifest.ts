import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { ServiceError } from '../../errors';

const money = z.string().regex(/^-?\d+\.\d{2}$/);
const count = z.number().int().nonnegative();

/** `_manifest.json` of a silver partition (docs/contracts.md), as the job writes it. */
export const Manifest = z.looseObject({
  dataset: z.string(),
  dt: z.string(),
  run_id: z.string(),
  bronze_rows: count,
  redelivered_rows: count,
  duplicate_rows: count,
  quarantined_rows: count,
  silver_rows: count,
  silver_amount_sum: money,
  silver_realised_sum: money,
  silver_gross_sum: money,
  silver_lost_sum: money,
  files: z.array(z.string()),
  quarantine_files: z.array(z.string()),
  row_set_sha256: z.string().nullable(),
  buckets: z.record(z.string(), z.object({ rows: count, gross_amount: money })),
  quarantine_rules: z.record(z.string(), count),
  dq_flags: z.record(z.string(), count),
});
export type Manifest = z.infer<typeof Manifest>;

export const COUNT_KEYS = [
  'bronze_rows',
  'silver_rows',
  'quarantined_rows',
  'duplicate_rows',
  'redelivered_rows',
] as const;
export const SUM_KEYS = ['silver_amount_sum', 'silver_realised_sum', 'silver_gross_sum', 'silver_lost_sum'] as const;

export const silverPrefix = (dataset: string, dt: string) => `lake/silver/order_lines/dataset=${dataset}/dt=${dt}/`;
export const quarantinePrefix = (dataset: string, dt: string) =>
  `lake/quarantine/order_lines/dataset=${dataset}/dt=${dt}/`;
export const bronzePrefix = (dataset: string, dt: string) => `lake/bronze/order_lines/dataset=${dataset}/dt=${dt}/`;

/** Reads one partition's manifest; undefined when there is none. @throws ServiceError when it is not valid. */
export async function readManifest(s3: S3Client, bucket: string, dataset: string, dt: string) {
  const key = `${silverPrefix(dataset, dt)}_manifest.json`;
  let text: string;
  try {
    text = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
  const parsed = Manifest.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new ServiceError(`s3://${bucket}/${key} is not a valid manifest: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data;
}

/** Adds decimal texts exactly (in cents, as bigint). */
export function addMoney(a: string, b: string): string {
  const cents = (s: string) => {
    const [int, frac = '00'] = s.replace('-', '').split('.');
    const value = BigInt(int!) * 100n + BigInt(frac.padEnd(2, '0').slice(0, 2));
    return s.startsWith('-') ? -value : value;
  };
  const total = cents(a) + cents(b);
  const abs = total < 0n ? -total : total;
  return `${total < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

export interface Totals {
  counts: Record<(typeof COUNT_KEYS)[number], number>;
  sums: Record<(typeof SUM_KEYS)[number], string>;
}

/**
 * Totals over the partitions a run wrote, checking each one's reconciliation.
 * @throws ServiceError when a manifest's counts do not add up (a job bug, never bad input).
 */
export function totals(manifests: Manifest[]): Totals {
  const counts = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as Totals['counts'];
  const sums = Object.fromEntries(SUM_KEYS.map((k) => [k, '0.00'])) as Totals['sums'];
  for (const m of manifests) {
    const parts = m.redelivered_rows + m.duplicate_rows + m.quarantined_rows + m.silver_rows;
    if (parts !== m.bronze_rows) {
      throw new ServiceError(
        `manifest of dt=${m.dt} does not reconcile: bronze ${m.bronze_rows} != redelivered + duplicates + quarantined + silver = ${parts}`,
      );
    }
    for (const k of COUNT_KEYS) counts[k] += m[k];
    for (const k of SUM_KEYS) sums[k] = addMoney(sums[k], m[k]);
  }
  return { counts, sums };
}
