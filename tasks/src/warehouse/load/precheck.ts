import type { S3Client } from '@aws-sdk/client-s3';
import { InputRejectedError } from '../../errors';
import { whyEmpty } from '../../events/empty-day';
import { findSilverPartition } from '../silver/source';

/**
 * Checks every date of a load before any is loaded: each must have a silver partition with rows.
 * A missing or empty day is named with its upstream cause (the transform's quarantine, the
 * producer's dead letters) and the one step that can help, so a range load commits nothing
 * rather than the days before the first gap.
 * @throws InputRejectedError (exit 1) naming every such date.
 */
export async function checkSilverDays(
  s3: S3Client,
  bucket: string,
  dataset: string,
  dates: string[],
  signal?: AbortSignal,
): Promise<void> {
  const problems: string[] = [];
  for (const dt of dates) {
    let rows: number;
    try {
      rows = (await findSilverPartition(s3, bucket, dataset, dt, signal)).manifest.silver_rows;
    } catch (error) {
      if (!(error instanceof InputRejectedError)) throw error;
      if (!/no _manifest\.json/.test(error.message)) {
        problems.push(`${dt}: ${error.message}`);
        continue;
      }
      problems.push(`${dt}: no silver partition: ${await whyEmpty(s3, bucket, dataset, dt, 'silver')}`);
      continue;
    }
    if (rows === 0) problems.push(`${dt}: 0 silver rows: ${await whyEmpty(s3, bucket, dataset, dt, 'silver')}`);
  }
  if (problems.length) {
    throw new InputRejectedError(
      `nothing loaded: ${problems.length} of ${dates.length} date(s) have no silver rows to load: ${problems.join('; ')}`,
      { details: { dates: problems.length } },
    );
  }
}
