import type { S3Client } from '@aws-sdk/client-s3';
import { InputRejectedError } from '../../errors';
import { quarantineCause, whyEmpty } from '../../events/empty-day';
import type { Manifest } from './manifest';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Share of a day's distinct rows (silver + quarantined) that went to the quarantine. */
export function quarantineShare(m: Pick<Manifest, 'silver_rows' | 'quarantined_rows'>): number {
  const distinct = m.silver_rows + m.quarantined_rows;
  return distinct ? m.quarantined_rows / distinct : 0;
}

/** The problem of one transformed day, if any: no silver row, or too much quarantined. */
export function dayProblem(m: Manifest, maxQuarantineShare: number): string | undefined {
  const share = quarantineShare(m);
  if (m.silver_rows > 0 && share <= maxQuarantineShare) return undefined;
  const why = m.silver_rows === 0 ? 'no silver row' : `${pct(share)} quarantined`;
  return `${m.dt}: ${why}: ${quarantineCause(m)}, ${m.silver_rows} silver rows`;
}

/**
 * Refuses a transform whose output for a date is empty or nearly so: a date without bronze (with
 * what the producer left behind saying why), no silver row, or a quarantine share above the limit.
 * Every date of the range is named in one error.
 * @throws InputRejectedError (exit 1).
 */
export async function checkTransform(
  s3: S3Client,
  bucket: string,
  dataset: string,
  dates: string[],
  written: Map<string, Manifest>,
  maxQuarantineShare: number,
): Promise<void> {
  const problems: string[] = [];
  for (const dt of dates) {
    const m = written.get(dt);
    if (!m) problems.push(`${dt}: no bronze: ${await whyEmpty(s3, bucket, dataset, dt, 'bronze')}`);
    else {
      const p = dayProblem(m, maxQuarantineShare);
      if (p) problems.push(p);
    }
  }
  if (problems.length) {
    throw new InputRejectedError(
      `glue-transform output is empty or nearly so (--max-quarantine-share ${pct(maxQuarantineShare)}): ${problems.join('; ')}`,
      { details: { dates: problems.length } },
    );
  }
}
