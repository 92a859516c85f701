import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { parse } from 'csv-parse';
import { CompressionTypes, type Message, type Producer } from 'kafkajs';
import { createKafka } from '../../clients/kafka';
import { createS3Client } from '../../clients/s3';
import { InputRejectedError } from '../../errors';
import { ORDER_LINES_DLQ, ORDER_LINES_TOPIC } from '../../events/order-line';
import { parseSourceDate, toEvent, type Rejection } from '../../events/to-event';
import { runStep, type StepContext } from '../../runtime';
import { checkHeader, describeHeaderProblems, SOURCE_COLUMNS } from '../../source/columns';
import type { StreamProduceArgs } from './command';

const BATCH = 1_000;
const MAX_RAW_IN_DLQ = 8 * 1024;
const DATE_FIELD = SOURCE_COLUMNS.indexOf('Date');

/** Every date from `from` to `to`, inclusive, as YYYY-MM-DD. */
export function dateRange(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) {
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

/** The ingest date encoded in a raw key (`.../ingest_date=YYYY-MM-DD/...`), if any. */
export function ingestDateOf(key: string): string | undefined {
  return /\/ingest_date=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
}

export function deadLetter(
  rejection: Rejection,
  raw: string,
  row: number,
  uri: string,
  dataset: string,
  runId: string,
): Message {
  const truncated = Buffer.byteLength(raw) > MAX_RAW_IN_DLQ;
  return {
    key: `${uri}#${row}`,
    value: JSON.stringify({
      schema: 'sales.order_lines.dlq.v1',
      dataset,
      source: { uri, row },
      ...rejection,
      raw_line: truncated ? raw.slice(0, MAX_RAW_IN_DLQ) : raw,
      raw_truncated: truncated,
      raw_sha256: createHash('sha256').update(raw).digest('hex'),
      run_id: runId,
    }),
    headers: { 'source-uri': uri, 'source-row': String(row), 'run-id': runId, reason: rejection.reason },
  };
}

/** The distinct raw objects of a dataset (the same content ingested on several dates counts once). */
async function rawObjects(s3: S3Client, bucket: string, dataset: string): Promise<string[]> {
  const prefix = `raw/amazon_sale_report/dataset=${dataset}/`;
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!).filter(Boolean));
    token = page.NextContinuationToken;
  } while (token);
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const key of keys.sort()) {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const sha = head.Metadata?.sha256 ?? key;
    if (!seen.has(sha)) {
      seen.add(sha);
      unique.push(`s3://${bucket}/${key}`);
    }
  }
  if (!unique.length) {
    throw new InputRejectedError(
      `no raw objects under s3://${bucket}/${prefix}: run ingest-raw for this dataset first`,
    );
  }
  return unique;
}

/** The content id of a raw object: its sha256 from ingest-raw's metadata, else its ETag. */
async function contentId(s3: S3Client, uri: string): Promise<string> {
  const { bucket, key } = splitUri(uri);
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  return head.Metadata?.sha256 ?? (head.ETag ?? key).replace(/[^A-Za-z0-9]/g, '');
}

/** Marks that a day of one raw content was fully produced, so a re-run does not publish it twice. */
export function producedMarkerKey(dataset: string, day: string, content: string): string {
  return `runs/stream-produce/produced/dataset=${dataset}/dt=${day}/${content}.json`;
}

async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound') return false;
    throw error;
  }
}

function splitUri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new InputRejectedError(`--source must look like s3://bucket/key, got "${uri}"`);
  return { bucket: m[1]!, key: m[2]! };
}

interface DayCounts {
  events: number;
  deadLettered: number;
}

/**
 * Replays one day of one raw object: rows whose order date is `day` become events; rows that cannot
 * become events go to the dead-letter topic with their reason. A row whose date cannot be read
 * belongs to no day: it is dead-lettered once, by the run whose range holds the object's ingest date.
 * With no producer it only counts (the pre-pass that sizes a paced replay).
 */
async function replayDay(
  ctx: StepContext,
  s3: S3Client,
  producer: Producer | null,
  uri: string,
  day: string,
  ownsUndated: boolean,
  dataset: string,
  pace: (done: number) => Promise<void>,
): Promise<DayCounts> {
  const { bucket, key } = splitUri(uri);
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const parser = (object.Body as Readable).pipe(
    parse({ raw: true, info: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }),
  );
  const counts: DayCounts = { events: 0, deadLettered: 0 };
  let events: Message[] = [];
  let dlq: Message[] = [];
  const flush = async () => {
    ctx.throwIfStopped();
    const sends = [];
    if (events.length) sends.push({ topic: ORDER_LINES_TOPIC, messages: events });
    if (dlq.length) sends.push({ topic: ORDER_LINES_DLQ, messages: dlq });
    if (sends.length && producer)
      await producer.sendBatch({ topicMessages: sends, acks: -1, compression: CompressionTypes.GZIP });
    counts.events += events.length;
    counts.deadLettered += dlq.length;
    events = [];
    dlq = [];
    await pace(counts.events);
  };
  for await (const { record, raw, info } of parser as AsyncIterable<{
    record: string[];
    raw: string;
    info: { records: number };
  }>) {
    const row = info.records;
    if (row === 1) {
      const header = checkHeader(record.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, '') : c)));
      if (!header.ok)
        throw new InputRejectedError(`${uri}: ${describeHeaderProblems(header)}`, { details: { uri, row } });
      continue;
    }
    const conversion = toEvent(record, row, dataset, uri);
    if (conversion.ok) {
      if (conversion.event.order_date !== day) continue;
      events.push({
        key: conversion.event.line.order_id,
        value: JSON.stringify(conversion.event),
        headers: {
          'source-uri': uri,
          'source-row': String(row),
          'run-id': ctx.config.runId,
          schema: ORDER_LINES_TOPIC,
        },
      });
    } else {
      const dated = parseSourceDate(record[DATE_FIELD] ?? '');
      if (dated ? dated !== day : !ownsUndated) continue;
      dlq.push(deadLetter(conversion.rejection, raw, row, uri, dataset, ctx.config.runId));
    }
    if (events.length + dlq.length >= BATCH) await flush();
  }
  await flush();
  return counts;
}

/** Sleeps so that `done` of `total` events land at the matching share of `secondsPerDay`. */
function pacer(secondsPerDay: number, total: number, signal: AbortSignal) {
  const started = Date.now();
  return async (done: number) => {
    if (secondsPerDay <= 0 || total <= 0) return;
    const due = started + (Math.min(done, total) / total) * secondsPerDay * 1000;
    const wait = due - Date.now();
    if (wait > 0 && !signal.aborted) await new Promise((r) => setTimeout(r, wait));
  };
}

/** stream-produce: replays order lines onto Kafka one sales day at a time, in event order. */
export async function run(args: StreamProduceArgs) {
  return runStep(
    'stream-produce',
    args,
    async (ctx) => {
      const { config, logger } = ctx;
      const days = dateRange(args.dt!, args.to ?? args.dt!);
      const s3 = createS3Client(config);
      const kafka = createKafka(config, logger);
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      ctx.result.result.dataset = args.dataset;
      try {
        const { bucket } = config.s3;
        const uris = args.source?.length ? args.source : await rawObjects(s3, bucket, args.dataset);
        const contents = new Map<string, string>();
        for (const uri of uris) contents.set(uri, await contentId(s3, uri));
        for (const uri of uris) ctx.result.input({ uri, sha256: contents.get(uri) });
        await producer.connect();
        const perDay: Record<string, DayCounts> = {};
        for (const day of days) {
          const started = Date.now();
          const total: DayCounts = { events: 0, deadLettered: 0 };
          const marker = (uri: string) => producedMarkerKey(args.dataset, day, contents.get(uri)!);
          const sources: string[] = [];
          for (const uri of uris) {
            if (args.force || !(await exists(s3, bucket, marker(uri)))) sources.push(uri);
          }
          if (!sources.length) {
            logger.info({ day }, 'day already produced from this content: nothing published (--force replays it)');
            ctx.result.count('days_already_produced', 1);
            perDay[day] = total;
            continue;
          }
          const owns = (uri: string) => {
            const ingestDate = ingestDateOf(uri);
            return ingestDate === undefined ? day === days[0] : ingestDate === day;
          };
          // A paced replay spreads the day's events over --speed seconds: count them first.
          let expected = 0;
          if (args.speed > 0) {
            for (const uri of sources) {
              expected += (await replayDay(ctx, s3, null, uri, day, owns(uri), args.dataset, async () => {})).events;
            }
          }
          const pace = pacer(args.speed, expected, ctx.signal);
          for (const uri of sources) {
            const c = await replayDay(ctx, s3, producer, uri, day, owns(uri), args.dataset, pace);
            total.events += c.events;
            total.deadLettered += c.deadLettered;
            const body = JSON.stringify({ uri, day, ...c, runId: config.runId });
            await s3.send(new PutObjectCommand({ Bucket: bucket, Key: marker(uri), Body: body }));
          }
          perDay[day] = total;
          ctx.result.count('events', total.events).count('dead_lettered', total.deadLettered);
          logger.info({ day, ...total, ms: Date.now() - started }, 'day replayed');
        }
        ctx.result.result.details.perDay = perDay;
        const admin = kafka.admin();
        await admin.connect();
        try {
          ctx.result.result.details.endOffsets = await admin.fetchTopicOffsets(ORDER_LINES_TOPIC);
        } finally {
          await admin.disconnect();
        }
        ctx.result.output({ uri: `kafka://${ORDER_LINES_TOPIC}`, rows: ctx.result.result.counts.events ?? 0 });
        ctx.result.output({ uri: `kafka://${ORDER_LINES_DLQ}`, rows: ctx.result.result.counts.dead_lettered ?? 0 });
        return perDay;
      } finally {
        await producer.disconnect().catch(() => undefined);
        s3.destroy();
      }
    },
    { writeResult: true },
  );
}
