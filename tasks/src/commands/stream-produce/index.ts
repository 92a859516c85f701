import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Admin } from 'kafkajs';
import { createKafka } from '../../clients/kafka';
import { createS3Client } from '../../clients/s3';
import { ConfigError } from '../../errors';
import { mapConcurrent } from '../../concurrency';
import { runStep } from '../../runtime';
import type { StreamProduceArgs } from './command';
import { readMarker, sumProduced } from '../../events/produced';
import { checkReplay, emptyDays } from './checks';
import { publishDirect } from './direct';
import { publishPaced } from './publish';
import { pairKey, type DayOutcome, type PublishPlan, type Resume } from './transactions';
import { progressGroup, progressRecord, readProgress, TRANSACTION_TIMEOUT_MS, transactionalId } from './progress';
import { dateRange } from '../../dates';
import { contentId, exists, ingestDateOf, producedMarkerKey, rawObjects, splitUri } from './raw-objects';
import type { DayCounts } from './replay';
import { spillObject, type Routed, type Spilled } from './route';
import { Publisher } from './publisher';

export { ingestDateOf, producedMarkerKey } from './raw-objects';
export { deadLetter } from './dead-letter';

/** Progress offsets read at once before publishing (one consumer group per (source, day)). */
const PROGRESS_READS = 16;
/** Produced markers looked up at once (S3 HEADs). */
const S3_CHECKS = 16;

/** Partitions per topic. @throws ConfigError naming a topic the broker does not have. */
async function topicPartitions(admin: Admin, topics: string[]): Promise<Record<string, number>> {
  const known = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !known.has(t));
  if (missing.length) {
    throw new ConfigError(`Kafka topic(s) ${missing.join(', ')} do not exist (the stack creates them: make up)`);
  }
  const { topics: meta } = await admin.fetchTopicMetadata({ topics });
  return Object.fromEntries(meta.map((t) => [t.name, t.partitions.length]));
}

/**
 * stream-produce: replays the order lines of a range of sales days onto Kafka, each raw object
 * read once. Unpaced, records are published as they are read (source order); paced (`--speed`),
 * a routing pass spills the wanted days to local files and each day is published from its file,
 * in date order. A (source, day) is marked produced once its records are all committed.
 */
export async function run(args: StreamProduceArgs) {
  return runStep(
    'stream-produce',
    args,
    async (ctx) => {
      const { config, logger } = ctx;
      const days = dateRange(args.dt!, args.to ?? args.dt!);
      const s3 = createS3Client(config);
      // Enough connection retries (about four minutes) to ride out a broker restart.
      const kafka = createKafka(config, logger, 30);
      const admin = kafka.admin();
      let publisher: Publisher | undefined;
      ctx.result.result.dataset = args.dataset;
      ctx.result.result.details.thresholds = { maxDeadLetterShare: args.maxDeadLetterShare };
      let spillRoot: string | undefined;
      try {
        const { bucket } = config.s3;
        const uris = args.source?.length ? args.source : await rawObjects(s3, bucket, args.dataset);
        uris.forEach(splitUri);
        const contents = new Map<string, string>();
        for (const uri of uris) contents.set(uri, await contentId(s3, uri));
        for (const uri of uris) ctx.result.input({ uri, sha256: contents.get(uri) });
        const marker = (uri: string, day: string) => producedMarkerKey(args.dataset, day, contents.get(uri)!);

        // Which days each object still owes; a day every object has produced is skipped whole.
        const todo = new Map<string, Set<string>>();
        for (const uri of uris) {
          const marked = args.force
            ? days.map(() => false)
            : await mapConcurrent(days, S3_CHECKS, (day) => exists(s3, bucket, marker(uri, day)));
          todo.set(uri, new Set(days.filter((_, i) => !marked[i])));
        }
        const perDay: Record<string, DayCounts> = {};
        /** What the markers of these sources say of the day. */
        const markedCounts = async (day: string, of: string[]): Promise<DayCounts> =>
          sumProduced(await Promise.all(of.map((u) => readMarker(s3, bucket, marker(u, day)))));
        for (const day of days.filter((d) => uris.every((u) => !todo.get(u)!.has(d)))) {
          logger.info({ day }, 'day already produced from this content: nothing published (--force replays it)');
          ctx.result.count('days_already_produced', 1);
          // What the markers say, so a re-run reaches the same verdict on the day.
          perDay[day] = await markedCounts(day, uris);
        }
        // Days some sources have marked and others still owe (a crash while the markers were
        // written): the marked sources' counts join the day's verdict, and a source that owes such a
        // day without a record of it still gets its (zero) marker when the marked ones hold records.
        const markedPart = new Map<string, DayCounts>();
        for (const day of days) {
          const marked = uris.filter((u) => !todo.get(u)!.has(day));
          if (marked.length && marked.length < uris.length) markedPart.set(day, await markedCounts(day, marked));
        }
        const recordedElsewhere = new Set(
          [...markedPart].filter(([, c]) => c.events + c.deadLettered > 0).map(([day]) => day),
        );

        await admin.connect();
        const partitions = await topicPartitions(admin, [args.topic, args.dlqTopic]);

        const owedUris = uris.filter((u) => todo.get(u)!.size);
        const publishStarted = Date.now();
        let eventBytes = 0;
        if (owedUris.length) {
          publisher = new Publisher(kafka, {
            partitions,
            compression: args.compression,
            gzipLevel: args.gzipLevel,
            batchBytes: args.batchBytes,
            transactionalId: transactionalId(args.dataset, days[0]!),
            transactionTimeoutMs: TRANSACTION_TIMEOUT_MS,
          });
          await publisher.connect();
        }
        const conversion = { topic: args.topic, dlqTopic: args.dlqTopic, dataset: args.dataset, runId: config.runId };
        // Where each owed (source, day) stands: read after the producer's InitProducerId, which
        // waits for an earlier run's last transaction to complete (so its offsets are visible).
        const owed = days.flatMap((day) => owedUris.filter((u) => todo.get(u)!.has(day)).map((uri) => ({ uri, day })));
        const resume = new Map<string, Resume>();
        if (!args.force) {
          const began = Date.now();
          await mapConcurrent(owed, PROGRESS_READS, async ({ uri, day }) => {
            const at = await readProgress(admin, progressGroup(args.dataset, day, contents.get(uri)!), args.topic);
            if (at) resume.set(pairKey(uri, day), at);
          });
          logger.info({ days: owed.length, resumed: resume.size, ms: Date.now() - began }, 'progress read');
        }
        const open = async (uri: string) => {
          const { bucket: b, key } = splitUri(uri);
          const object = await s3.send(new GetObjectCommand({ Bucket: b, Key: key }));
          return object.Body as Readable;
        };
        const undatedDay = (uri: string) => ingestDateOf(uri) ?? days[0];
        const common: PublishPlan = {
          days,
          recordedElsewhere,
          commitSeconds: args.commitSeconds,
          resume,
          progress: (uri, day, records, counts) =>
            progressRecord(progressGroup(args.dataset, day, contents.get(uri)!), args.topic, records, counts),
          markProduced: async (uri, day, counts) => {
            const body = JSON.stringify({ uri, day, ...counts, runId: config.runId });
            await s3.send(new PutObjectCommand({ Bucket: bucket, Key: marker(uri, day), Body: body }));
          },
        };
        let sent = new Map<string, DayOutcome>();
        const routed = new Map<string, Routed>();
        if (!owedUris.length) {
          // Every day of the range was produced before: nothing to read.
        } else if (args.speed > 0) {
          // Paced: each raw object read once into per-day spill files, then the days in date order.
          spillRoot = await mkdtemp(path.join(args.spillDir ?? tmpdir(), 'stream-produce-'));
          const spilled = new Map<string, Spilled>();
          const routeStarted = Date.now();
          for (const [i, uri] of owedUris.entries()) {
            const dir = path.join(spillRoot, String(i));
            await mkdir(dir);
            const plan = { days: todo.get(uri)!, undatedDay: undatedDay(uri) };
            let lastLog = Date.now();
            const r = await spillObject(await open(uri), uri, plan, dir, (records) => {
              ctx.throwIfStopped();
              if (Date.now() - lastLog < 2_000) return;
              lastLog = Date.now();
              logger.info({ uri, records }, 'routing raw object');
            });
            spilled.set(uri, r);
            routed.set(uri, r);
            logger.info(
              { uri, records: r.records, days: r.spills.size, ms: Date.now() - routeStarted },
              'raw object routed',
            );
          }
          ctx.result.result.details.routeMs = Date.now() - routeStarted;
          const sources = (day: string) =>
            owedUris.filter((u) => todo.get(u)!.has(day)).map((uri) => ({ uri, routed: spilled.get(uri)! }));
          sent = await publishPaced(ctx, publisher!, { ...common, conversion, sources, speed: args.speed });
        } else {
          // Unpaced: each raw object read once and published as it is read.
          const objects = owedUris.map((uri) => ({
            uri,
            owed: todo.get(uri)!,
            undatedDay: undatedDay(uri),
            open: () => open(uri),
          }));
          const encoding = { conversion, partitions, batchBytes: args.batchBytes };
          const out = await publishDirect(ctx, publisher!, { ...common, encoding, objects });
          sent = out.perDay;
          for (const [uri, r] of out.routed) routed.set(uri, r);
        }
        // The step's counts are what this run published; the verdict reads what each day holds.
        for (const [day, { run, whole }] of sent) {
          const part = markedPart.get(day);
          perDay[day] = part ? sumProduced([whole, part]) : whole;
          eventBytes += run.eventBytes;
          ctx.result.count('events', run.events).count('dead_lettered', run.deadLettered);
        }
        ctx.result.result.details.publishMs = Date.now() - publishStarted;
        ctx.result.result.details.eventBytes = eventBytes;
        const sorted = Object.entries(perDay).sort();
        ctx.result.result.details.perDay = Object.fromEntries(
          sorted.map(([d, c]) => [d, { events: c.events, deadLettered: c.deadLettered }]),
        );
        ctx.result.result.details.deadLetterReasons = Object.fromEntries(
          sorted.filter(([, c]) => c.deadLettered).map(([d, c]) => [d, c.reasons ?? {}]),
        );
        const empty = emptyDays({ days, perDay });
        ctx.result.result.details.emptyDays = empty;
        if (empty.length) logger.warn({ days: empty }, 'no source row is dated on these days: no produced marker');
        ctx.result.result.details.endOffsets = await admin.fetchTopicOffsets(args.topic);
        ctx.result.output({ uri: `kafka://${args.topic}`, rows: ctx.result.result.counts.events ?? 0 });
        ctx.result.output({ uri: `kafka://${args.dlqTopic}`, rows: ctx.result.result.counts.dead_lettered ?? 0 });
        checkReplay({
          dt: args.dt!,
          to: args.to ?? args.dt!,
          days,
          perDay,
          routed,
          maxDeadLetterShare: args.maxDeadLetterShare,
        });
        return perDay;
      } finally {
        await publisher?.disconnect();
        await admin.disconnect().catch(() => undefined);
        if (spillRoot) await rm(spillRoot, { recursive: true, force: true });
        s3.destroy();
      }
    },
    { writeResult: true },
  );
}
