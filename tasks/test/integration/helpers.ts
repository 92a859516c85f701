import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Kafka } from 'kafkajs';
import { main } from '../../src/cli';
import { loadConfig, type Config } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';

/** The repository root (tests run from tasks/). */
export const repoRoot = path.resolve(__dirname, '../../..');

/** Config of the local stack as `make up` left it (reads .local/env). */
export function stackConfig(): Config {
  return loadConfig({ logLevel: 'warn' }, process.env, `itest-${uniqueSuffix()}`);
}

export function quietLogger(): Logger {
  return createLogger('error');
}

/** Lower-case, S3- and Kafka-safe suffix so parallel or repeated runs never collide. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

const xcomDir = mkdtempSync(path.join(tmpdir(), 'xcom-'));

/**
 * Runs one CLI step in-process, quietly, and returns its exit code and result JSON.
 * `env` overrides variables for the duration of the call (e.g. another S3_BUCKET).
 */
export async function runStepCli(argv: string[], env: Record<string, string> = {}) {
  const xcom = path.join(xcomDir, `${uniqueSuffix()}.json`);
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await main([...argv, '--xcom-path', xcom, '--log-level', 'silent']);
    return { code, result: JSON.parse(readFileSync(xcom, 'utf8')) };
  } finally {
    out.mockRestore();
    err.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/**
 * A fresh pair of order-line and dead-letter topics for one test file, so a test reads only what it
 * produced however much earlier runs left on the stack's own topics. `drop` deletes them.
 */
export async function freshTopics(kafka: Kafka, label: string) {
  const topic = `itest.${label}.order_lines.${uniqueSuffix()}`;
  const dlqTopic = `itest.${label}.dlq.${uniqueSuffix()}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [
        { topic, numPartitions: 3 },
        { topic: dlqTopic, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
  return {
    topic,
    dlqTopic,
    /** CLI flags that point stream-produce (both) or stream-land (`land`) at these topics. */
    produce: ['--topic', topic, '--dlq-topic', dlqTopic],
    land: ['--topic', topic],
    async drop() {
      const a = kafka.admin();
      await a.connect();
      await a.deleteTopics({ topics: [topic, dlqTopic] }).catch(() => undefined);
      await a.disconnect();
    },
  };
}

export type Landed = { order_id: string; sku: string; amount: string | null; row: number; offset: string };

/** Every bronze line of a dataset in a bucket, in source row order. */
export async function readBronze(s3: S3Client, bucket: string, dataset: string): Promise<Landed[]> {
  const out: Landed[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: `lake/bronze/order_lines/dataset=${dataset}/`,
        ContinuationToken: token,
      }),
    );
    for (const o of page.Contents ?? []) {
      const text = await (
        await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }))
      ).Body!.transformToString();
      for (const line of text.split('\n').filter(Boolean)) {
        const e = JSON.parse(line);
        out.push({
          order_id: e.line.order_id,
          sku: e.line.sku,
          amount: e.line.amount,
          row: e.source.row,
          offset: e.kafka.offset,
        });
      }
    }
    token = page.NextContinuationToken;
  } while (token);
  return out.sort((a, b) => a.row - b.row);
}

/** Every message of a topic whose JSON value names the dataset, read from the start by a fresh group. */
export async function readTopic(kafka: Kafka, topic: string, dataset: string, expected: number) {
  const consumer = kafka.consumer({ groupId: `itest-read-${uniqueSuffix()}` });
  const found: { key: string; value: Record<string, unknown> }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, 20_000);
    consumer
      .run({
        eachMessage: async ({ message }) => {
          const value = JSON.parse(String(message.value));
          if (value.dataset !== dataset) return;
          found.push({ key: String(message.key), value });
          if (found.length >= expected) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await new Promise((r) => setTimeout(r, 500)); // let any unexpected extra message arrive
  await consumer.disconnect();
  return found;
}
