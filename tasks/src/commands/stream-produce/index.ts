import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Admin } from 'kafkajs';
import { createKafka } from '../../clients/kafka';
import { createS3Client } from '../../clients/s3';
import { ConfigError } from '../../errors';
import { runStep } from '../../runtime';
import type { StreamProduceArgs } from './command';
import { Publisher } from './publisher';
import { contentId, dateRange, exists, ingestDateOf, producedMarkerKey, rawObjects, splitUri } from './raw-objects';
import { replaySpill, type DayCounts } from './replay';
import { routeObject, type Routed } from './route';

export { dateRange, ingestDateOf, producedMarkerKey } from './raw-objects';
export { deadLetter } from './dead-letter';

/** Sleeps so that `done` of `total` records go out at the matching share of `secondsPerDay`. */
function pacer(secondsPerDay: number, total: number, signal: AbortSignal) {
  const started = Date.now();
  return async (done: number) => {
    if (secondsPerDay <= 0 || total <= 0) return;
    const due = started + (Math.min(done, total) / total) * secondsPerDay * 1000;
    const wait = due - Date.now();
    if (wait > 0 && !signal.aborted) await new Promise((r) => setTimeout(r, wait));
  };
}

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
 * stream-produce: replays order lines onto Kafka one sales day at a time, in date order. Each raw
 * object is read once: a routing pass spills the records of the wanted days to local files, then
 * each day is published from its file and marked produced.
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
          const owed = new Set<string>();
          for (const day of days) if (args.force || !(await exists(s3, bucket, marker(uri, day)))) owed.add(day);
          todo.set(uri, owed);
        }
        const perDay: Record<string, DayCounts> = {};
        for (const day of days.filter((d) => uris.every((u) => !todo.get(u)!.has(d)))) {
          logger.info({ day }, 'day already produced from this content: nothing published (--force replays it)');
          ctx.result.count('days_already_produced', 1);
          perDay[day] = { events: 0, deadLettered: 0 };
        }

        await admin.connect();
        const partitions = await topicPartitions(admin, [args.topic, args.dlqTopic]);
        publisher = new Publisher(kafka, { partitions, compression: args.compression, batchBytes: args.batchBytes });

        // Pass 1: each raw object once, its wanted days spilled to local files.
        spillRoot = await mkdtemp(path.join(args.spillDir ?? tmpdir(), 'stream-produce-'));
        const routed = new Map<string, Routed>();
        const routeStarted = Date.now();
        for (const [i, uri] of uris.entries()) {
          const owed = todo.get(uri)!;
          if (!owed.size) continue;
          const dir = path.join(spillRoot, String(i));
          await mkdir(dir);
          const { bucket: b, key } = splitUri(uri);
          const object = await s3.send(new GetObjectCommand({ Bucket: b, Key: key }));
          const plan = { days: owed, undatedDay: ingestDateOf(uri) ?? days[0] };
          let lastLog = Date.now();
          const r = await routeObject(object.Body as Readable, uri, plan, dir, (records) => {
            ctx.throwIfStopped();
            if (Date.now() - lastLog < 2_000) return;
            lastLog = Date.now();
            logger.info({ uri, records }, 'routing raw object');
          });
          routed.set(uri, r);
          logger.info(
            { uri, records: r.records, days: r.spills.size, ms: Date.now() - routeStarted },
            'raw object routed',
          );
        }
        ctx.result.result.details.routeMs = Date.now() - routeStarted;

        // Pass 2: day by day in date order, each object's records in source order.
        const publishStarted = Date.now();
        if (routed.size) await publisher!.connect();
        for (const day of days) {
          const sources = uris.filter((u) => todo.get(u)!.has(day));
          if (!sources.length) continue;
          const started = Date.now();
          const spills = sources.map((u) => routed.get(u)!.spills.get(day));
          const expected = spills.reduce((n, s) => n + (s?.records ?? 0), 0);
          const pace = pacer(args.speed, expected, ctx.signal);
          const total: DayCounts = { events: 0, deadLettered: 0 };
          let lastLog = Date.now();
          for (const [i, uri] of sources.entries()) {
            const spill = spills[i];
            const done = total.events + total.deadLettered;
            const c = spill
              ? await replaySpill(
                  {
                    publisher: publisher!,
                    topic: args.topic,
                    dlqTopic: args.dlqTopic,
                    dataset: args.dataset,
                    runId: config.runId,
                    onProgress: async (n) => {
                      ctx.throwIfStopped();
                      if (args.speed > 0) {
                        // A paced replay sends what is due now instead of waiting for full batches.
                        await pace(done + n);
                        await publisher!.flush();
                      }
                      if (Date.now() - lastLog < 2_000) return;
                      lastLog = Date.now();
                      const perSec = Math.round((done + n) / ((Date.now() - started) / 1000));
                      logger.info({ day, records: done + n, of: expected, perSec }, 'publishing');
                    },
                  },
                  spill.file,
                  uri,
                )
              : { events: 0, deadLettered: 0 };
            // The marker is written only once the broker acknowledged every message of the day.
            await publisher!.flush();
            const body = JSON.stringify({ uri, day, ...c, runId: config.runId });
            await s3.send(new PutObjectCommand({ Bucket: bucket, Key: marker(uri, day), Body: body }));
            if (spill) await rm(spill.file, { force: true });
            total.events += c.events;
            total.deadLettered += c.deadLettered;
          }
          perDay[day] = total;
          ctx.result.count('events', total.events).count('dead_lettered', total.deadLettered);
          logger.info({ day, ...total, ms: Date.now() - started }, 'day replayed');
        }
        ctx.result.result.details.publishMs = Date.now() - publishStarted;
        ctx.result.result.details.perDay = Object.fromEntries(Object.entries(perDay).sort());
        ctx.result.result.details.endOffsets = await admin.fetchTopicOffsets(args.topic);
        ctx.result.output({ uri: `kafka://${args.topic}`, rows: ctx.result.result.counts.events ?? 0 });
        ctx.result.output({ uri: `kafka://${args.dlqTopic}`, rows: ctx.result.result.counts.dead_lettered ?? 0 });
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
