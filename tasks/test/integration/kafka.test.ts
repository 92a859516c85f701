import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { createKafka } from '../../src/clients/kafka';
import { quietLogger, repoRoot, stackConfig, uniqueSuffix } from './helpers';

describe('Kafka broker (KRaft, single node)', () => {
  let kafka: Kafka;
  const topic = `itest.smoke.${uniqueSuffix()}`;

  beforeAll(() => {
    kafka = createKafka(stackConfig(), quietLogger());
  });

  it('creates a topic, produces keyed messages and consumes them back in order per key', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })).toBe(true);
      expect(await admin.listTopics()).toContain(topic);
    } finally {
      await admin.disconnect();
    }

    const sent = Array.from({ length: 300 }, (_, i) => ({ key: `order-${i % 7}`, value: JSON.stringify({ i }) }));
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `itest-${uniqueSuffix()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: { key: string; i: number; partition: number }[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message, partition }) => {
            received.push({ key: String(message.key), i: JSON.parse(String(message.value)).i, partition });
            if (received.length === sent.length) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();

    expect(received.map((r) => r.i).sort((a, b) => a - b)).toEqual(sent.map((_, i) => i));
    // One key, one partition, in the order produced.
    const byKey = new Map<string, typeof received>();
    for (const r of received) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
    for (const rows of byKey.values()) {
      expect(new Set(rows.map((r) => r.partition)).size).toBe(1);
      expect(rows.map((r) => r.i)).toEqual([...rows.map((r) => r.i)].sort((a, b) => a - b));
    }

    // The broker's own log records the new topic's partitions.
    const brokerLog = readFileSync(path.join(repoRoot, '.local/kafka/kafka.log'), 'utf8');
    expect(brokerLog).toContain(`${topic}-0`);
  });
});
