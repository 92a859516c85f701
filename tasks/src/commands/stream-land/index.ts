import type { Admin } from 'kafkajs';
import { createKafka } from '../../clients/kafka';
import { createS3Client } from '../../clients/s3';
import { withRetry } from '../../retry';
import { runStep } from '../../runtime';
import type { StreamLandArgs } from './command';
import { prepareBatch, writeBatch, type Landed } from './land-batch';

/** Offsets to stop at, per partition: the log end when the run started (scheduled mode). */
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
      const s3 = createS3Client(config);
      const admin = kafka.admin();
      // Fetch sizes bound memory: a gzip batch inflates ~10x and lives three times (kafkajs's
      // messages, the object bodies, the HTTP request) while three partitions land at once. 256 KiB
      // per partition measured 220 MB peak RSS; 1 MiB, 330 MB, for a few percent less CPU.
      const consumer = kafka.consumer({
        groupId: args.group,
        allowAutoTopicCreation: false,
        maxBytes: 768 * 1024,
        maxBytesPerPartition: 256 * 1024,
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
        // Another member may land a partition between two of our turns: forget on every (re)join.
        const state = new Map<number, Landed>();
        consumer.on(consumer.events.GROUP_JOIN, () => state.clear());
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
              const { partition, messages } = payload.batch;
              const prepared = prepareBatch(payload.batch, stopAt?.get(partition) ?? BigInt(Number.MAX_SAFE_INTEGER));
              if (prepared) {
                await writeBatch(ctx, s3, consumer, prepared, state);
                payload.resolveOffset(prepared.last);
                await payload.heartbeat();
              }
              const end = messages.at(-1)?.offset;
              if (end) start.set(partition, BigInt(end) + 1n);
              if (Date.now() - lastLog > 5_000) {
                lastLog = Date.now();
                logger.info({ landed: ctx.result.result.counts.landed ?? 0 }, 'landing');
              }
              if (stopAt && !pending().length) finish();
            },
          })
          .catch(fail);
        await done;
        logger.info({ landed: ctx.result.result.counts.landed ?? 0 }, 'reached the end offsets seen at start');
        ctx.result.output({
          uri: `s3://${config.s3.bucket}/lake/bronze/order_lines/`,
          rows: ctx.result.result.counts.landed ?? 0,
        });
        return ctx.result.result.counts;
      } finally {
        await consumer.disconnect().catch(() => undefined);
        await admin.disconnect().catch(() => undefined);
        s3.destroy();
      }
    },
    { writeResult: true },
  );
}
