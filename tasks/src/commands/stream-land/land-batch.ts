import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import type { StepContext } from '../../runtime';
import { SinkError } from './watch';
import { batchManifestKey, objectBody, rejectedKey, splitBatch, type Split } from './layout';

async function previousManifest(s3: S3Client, bucket: string, key: string): Promise<string[]> {
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (JSON.parse(await got.Body!.transformToString()) as { keys: string[] }).keys;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return [];
    throw error;
  }
}

/**
 * What this process knows of a partition's manifests since it joined the group: the offset after
 * its last commit, and the manifest it wrote for a batch not yet committed.
 */
export interface Landed {
  next: string;
  pending?: { first: string; keys: string[] };
}

/**
 * The keys a crashed or failed attempt at this batch may have written. Only a batch starting at the
 * group's committed offset can find another run's manifest (each run commits batch by batch, so it
 * leaves at most one uncommitted manifest per partition, at its last commit); a batch right after
 * this process's own commit finds at most its own failed attempt, which it remembers. So S3 is asked
 * once per partition and membership, not once per batch.
 */
export async function previousKeys(
  s3: S3Client,
  bucket: string,
  landed: Landed | undefined,
  first: string,
  key: string,
) {
  if (landed?.next !== first) return previousManifest(s3, bucket, key);
  return landed.pending?.first === first ? landed.pending.keys : [];
}

/** A partition batch split into its bronze objects, ready to be written. */
export interface PreparedBatch {
  topic: string;
  partition: number;
  first: string;
  last: string;
  split: Split;
  /** Every object the batch writes (bronze objects and the rejected-messages object). */
  keys: string[];
  /**
   * The offset to commit once written: after `last`, or further when the fetch ended with records
   * the consumer filters out (transaction markers, aborted records), never past the run's end.
   */
  through: string;
}

/** The messages below `upTo` split into objects (CPU only); null when there are none. */
export function prepareBatch(batch: EachBatchPayload['batch'], upTo: bigint): PreparedBatch | null {
  const whole = BigInt(batch.messages.at(-1)?.offset ?? '-1') < upTo;
  const messages = whole ? batch.messages : batch.messages.filter((m) => BigInt(m.offset) < upTo);
  if (!messages.length) return null;
  const first = messages[0]!.offset;
  const split = splitBatch(batch.topic, batch.partition, messages);
  const keys = [...split.objects.keys()];
  if (split.rejected.length) keys.push(rejectedKey(batch.topic, batch.partition, first));
  const last = messages.at(-1)!.offset;
  const through = commitThrough(batch.lastOffset(), upTo, BigInt(last) + 1n);
  return { topic: batch.topic, partition: batch.partition, first, last, split, keys, through };
}

/**
 * Where a partition's committed offset may move after a fetch whose raw records end at
 * `lastOffset` (markers and aborted records included): past them, but not past `upTo`, and never
 * below `atLeast`. Committing past trailing markers is what lets a run end at the log end offset.
 */
export function commitThrough(lastOffset: string, upTo: bigint, atLeast: bigint): string {
  let through = BigInt(lastOffset) + 1n;
  if (through > upTo) through = upTo;
  return (through > atLeast ? through : atLeast).toString();
}

/**
 * Writes one partition batch durably before its offset is committed:
 * 1. a manifest naming the objects it will write (and, if a crashed run left one for the same first
 *    offset, deletes that run's objects this batch will not rewrite);
 * 2. one NDJSON object per (dataset, order date), named by topic-partition-first offset;
 * 3. only then the offset commit. A redelivered batch starts at the same offset and rewrites the same
 *    names, so a crash at any point leaves neither a loss nor a duplicate. The caller writes a
 *    partition's batches one after another, so each partition has at most one uncommitted manifest.
 * (Writing a batch while the next is fetched was measured: no faster here, where the lander, the
 * S3 store and the broker share two busy cores, and 25 MB more memory.)
 */
export async function writeBatch(
  ctx: StepContext,
  s3: S3Client,
  consumer: Consumer,
  b: PreparedBatch,
  state: Map<number, Landed>,
): Promise<void> {
  const bucket = ctx.config.s3.bucket;
  const where = `bucket ${bucket}${ctx.config.s3.endpoint ? ` at ${ctx.config.s3.endpoint}` : ''}`;
  const { topic, partition, first, last, split, keys, through } = b;
  const failed = (error: unknown): never => {
    throw new SinkError('s3', where, error);
  };
  const manifestKey = batchManifestKey(topic, partition, first);
  const previous = await previousKeys(s3, bucket, state.get(partition), first, manifestKey).catch(failed);
  const stale = previous.filter((k) => !keys.includes(k));
  const manifest = JSON.stringify({ first, last, keys, runId: ctx.config.runId });
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: manifestKey, Body: manifest })).catch(failed);
  state.set(partition, { next: first, pending: { first, keys } });
  if (stale.length) {
    const Delete = { Objects: stale.map((Key) => ({ Key })) };
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete })).catch(failed);
  }
  const ndjson = 'application/x-ndjson';
  const puts = [...split.objects.values()].map((o) => ({ Key: o.key, Body: objectBody(o), ContentType: ndjson }));
  const rejected = Buffer.from(`${split.rejected.join('\n')}\n`);
  if (split.rejected.length) puts.push({ Key: keys.at(-1)!, Body: rejected, ContentType: ndjson });
  await Promise.all(puts.map((put) => s3.send(new PutObjectCommand({ Bucket: bucket, ...put })))).catch(failed);
  await consumer.commitOffsets([{ topic, partition, offset: through }]).catch((error: unknown) => {
    throw new SinkError('kafka', `commit of ${topic}/${partition}`, error);
  });
  state.set(partition, { next: through });

  const lines = [...split.objects.values()].reduce((n, o) => n + o.lines, 0);
  ctx.result.count('landed', lines).count('rejected', split.rejected.length);
  ctx.result.count('objects', split.objects.size);
  const perDate = (ctx.result.result.details.perDate ??= {}) as Record<string, number>;
  for (const [k, n] of split.perDate) perDate[k] = (perDate[k] ?? 0) + n;
}
