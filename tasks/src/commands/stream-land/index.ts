import type { Admin } from 'kafkajs';
import { createKafka } from '../../clients/kafka';
import { createS3Client, skipPayloadHashing } from '../../clients/s3';
import { withRetry } from '../../retry';
import { runStep } from '../../runtime';
import type { StreamLandArgs } from './command';
import { prepareBatch, writeBatch, type Landed } from './land-batch';
import { Ticker, within } from './ticker';
import { LandingWatch } from './watch';

/**
 * Offsets to stop at, per partition: the log end when the run started (scheduled mode). The admin
 * reads high watermarks (`readUncommitted`): the last stable offset would stop short of every record
 * written after a transaction still open at start (another producer's, or one whose commit markers
 * the broker has not yet written), and the day that stream-produce just committed would not land.
 * The consumer reads committed records only, so it waits for such a transaction to end.
 */
async function endOffsets(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
}

/** kafkajs marks transient protocol errors (e.g. NOT_COORDINATOR on a young broker) as retriable. */
const kafkaRetriable = (e: unknown) => (e as { retriable?: boolean }).retriable === true;

async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Map<number, bigint>> {
  // A broker that has just started may still be electing the group coordinator.
  const [entry] = await withRetry(() => admin.fetchOffsets({ groupId, topics: [topic] }), {
    attempts: 8,
    initialDelayMs: 250,
    maxDelayMs: 3_000,
    isRetriable: kafkaRetriable,
  });
  // -1 means nothing committed yet: the group starts at the beginning of the log.
  return new Map((entry?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset === '-1' ? '0' : p.offset)]));
}

/** stream-land: one consumer group landing micro-batches into bronze, offsets committed after the write. */
export async function run(args: StreamLandArgs) {
  return runStep(
    'stream-land',
    args,
    async (ctx) => {
      const { config, logger } = ctx;
      // Enough connection retries (about four minutes) to ride out a broker restart.
      const kafka = createKafka(config, logger, 30);
      const s3 = skipPayloadHashing(createS3Client(config));
      const admin = kafka.admin({ readUncommitted: true });
      // Fetch sizes bound memory: a gzip batch inflates ~10x and lives twice (kafkajs's messages,
      // the object bodies, each line copied once) while three partitions land at once. Measured at
      // 1M rows: 512 KiB per partition 258-259 MB peak RSS, 256 KiB 211-225 MB, 1 MiB 291-293 MB.
      // Larger fetches write fewer, larger objects, and each S3 request costs the local store about
      // 2 ms of CPU: 512 KiB landed 1M rows in 8.8-9.2 s, 256 KiB in 11.0-11.6 s (docs/ingest.md).
      // kafkajs restarts a crashed consumer; the watch below bounds how often.
      let restartOnFailure = async (_error: Error) => true;
      const consumer = kafka.consumer({
        groupId: args.group,
        retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000, restartOnFailure: (e) => restartOnFailure(e) },
        allowAutoTopicCreation: false,
        maxBytes: 1536 * 1024,
        maxBytesPerPartition: 512 * 1024,
      });
      try {
        await admin.connect();
        const stopAt = args.follow ? null : await endOffsets(admin, args.topic);
        const start = await committedOffsets(admin, args.group, args.topic);
        ctx.result.result.details.startOffsets = Object.fromEntries([...start].map(([p, o]) => [p, o.toString()]));
        if (stopAt)
          ctx.result.result.details.endOffsets = Object.fromEntries([...stopAt].map(([p, o]) => [p, o.toString()]));
        const pending = () => (stopAt ? [...stopAt].filter(([p, end]) => (start.get(p) ?? 0n) < end) : [[-1, 0n]]);
        if (!pending().length) {
          logger.info('nothing new on the topic: bronze is up to date');
          ctx.result.set('unchanged');
          return ctx.result.result.counts;
        }
        let finish!: () => void;
        let fail!: (e: unknown) => void;
        const done = new Promise<void>((resolve, reject) => {
          finish = resolve;
          fail = reject;
        });
        ctx.signal.addEventListener('abort', () => fail(ctx.signal.reason), { once: true });
        // A follower idles legitimately; a scheduled run has work left until it reaches its end offsets.
        const stallMs = stopAt ? args.stallSeconds * 1000 : Number.POSITIVE_INFINITY;
        const watch = new LandingWatch({ maxRestarts: args.maxRestarts, stallMs }, Date.now());
        restartOnFailure = async (error) => {
          const again = watch.crashed(error);
          logger.warn({ err: error, restarts: watch.restarts, again }, 'landing crashed');
          return again;
        };
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          if (!payload.restart) fail(watch.verdict(Date.now()) ?? payload.error);
        });
        // Another member may land a partition between two of our turns: forget on every (re)join.
        const state = new Map<number, Landed>();
        consumer.on(consumer.events.GROUP_JOIN, () => state.clear());
        // A fetch whose records are all filtered out (transaction markers, aborted records) never
        // reaches eachBatch: kafkajs only reports it. The ticker commits past them when idle.
        const busy = new Set<number>();
        const filtered = new Map<number, string>();
        consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
          if (payload.batchSize === 0) filtered.set(payload.partition, payload.lastOffset);
        });
        const ticker = new Ticker(ctx, { admin, consumer, topic: args.topic, group: args.group, start, stopAt });
        const stopTicking = ticker.every(args.pollMs, async () => {
          for (const [partition, lastOffset] of filtered) {
            if (busy.has(partition)) continue;
            filtered.delete(partition);
            await ticker.commitFiltered(partition, lastOffset);
          }
          watch.progress(await ticker.committed(), Date.now());
          if (stopAt && !pending().length) finish();
          const verdict = watch.verdict(Date.now());
          if (verdict) {
            logger.error({ err: verdict }, verdict.message);
            fail(verdict);
          }
        });
        await consumer.connect();
        await consumer.subscribe({ topic: args.topic, fromBeginning: true });
        let lastLog = Date.now();
        consumer
          .run({
            autoCommit: false,
            partitionsConsumedConcurrently: 3,
            eachBatchAutoResolve: false,
            eachBatch: async (payload) => {
              if (ctx.signal.aborted) return;
              const { partition } = payload.batch;
              const upTo = stopAt?.get(partition) ?? BigInt(Number.MAX_SAFE_INTEGER);
              busy.add(partition);
              try {
                const prepared = prepareBatch(payload.batch, upTo);
                if (prepared) {
                  watch.waitingOn = 's3';
                  await writeBatch(ctx, s3, consumer, prepared, state).finally(() => (watch.waitingOn = undefined));
                  payload.resolveOffset(prepared.last);
                  start.set(partition, BigInt(prepared.through));
                  await payload.heartbeat();
                } else {
                  await ticker.commitFiltered(partition, payload.batch.lastOffset());
                }
              } finally {
                busy.delete(partition);
              }
              if (Date.now() - lastLog > 5_000) {
                lastLog = Date.now();
                logger.info({ landed: ctx.result.result.counts.landed ?? 0 }, 'landing');
              }
              if (stopAt && !pending().length) finish();
            },
          })
          .catch(fail);
        try {
          await done;
        } finally {
          stopTicking();
        }
        const counts = ctx.result.result.counts;
        logger.info({ landed: counts.landed ?? 0 }, 'reached the end offsets seen at start');
        // Offsets that held only transaction markers (written by the broker after a producer's
        // commit, past the previous run's end) move the group but land nothing: nothing new.
        if (!counts.landed && !counts.rejected) ctx.result.set('unchanged');
        ctx.result.output({
          uri: `s3://${config.s3.bucket}/lake/bronze/order_lines/`,
          rows: counts.landed ?? 0,
        });
        return counts;
      } finally {
        // kafkajs's disconnect waits for the batch in progress, which may be stuck on the failed sink.
        await within(15_000, consumer.disconnect()).catch(() => undefined);
        await admin.disconnect().catch(() => undefined);
        s3.destroy();
      }
    },
    { writeResult: true },
  );
}
