// Dead letters by reason: the dead-letter topic itself (stream-produce writes each rejected source
// row there with its reason; no other store keeps the reason). Read from the start up to the end
// offsets seen at the start, bounded in time, by a throwaway consumer group.
import { Kafka, logLevel } from "kafkajs";

export interface ReasonCount {
  dataset: string;
  reason: string;
  column: string | null;
  rows: number;
}

export async function deadLetterReasons(
  env: NodeJS.ProcessEnv,
  datasets: string[],
  timeoutMs = 20_000,
): Promise<ReasonCount[]> {
  const brokers = (env.KAFKA_BROKERS ?? "").split(",").filter(Boolean);
  if (!brokers.length) return [];
  const topic = env.DLQ_TOPIC ?? "sales.order_lines.dlq";
  const kafka = new Kafka({
    clientId: "sales-pipeline-dashboards",
    brokers,
    logLevel: logLevel.NOTHING,
    ssl: env.KAFKA_SSL === "true",
    // A broker that does not answer fails the build in seconds, naming the topic, not after minutes.
    connectionTimeout: 5_000,
    retry: { retries: 2 },
  });
  const admin = kafka.admin();
  await admin.connect();
  let ends: { partition: number; high: string }[];
  try {
    if (!(await admin.listTopics()).includes(topic)) return [];
    ends = (await admin.fetchTopicOffsets(topic)).map((o) => ({ partition: o.partition, high: o.high }));
  } finally {
    await admin.disconnect();
  }
  const remaining = new Map(ends.filter((e) => e.high !== "0").map((e) => [e.partition, BigInt(e.high)]));
  if (!remaining.size) return [];
  const counts = new Map<string, ReasonCount>();
  const consumer = kafka.consumer({ groupId: `dashboards-${process.pid}-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} took over ${timeoutMs} ms`)), timeoutMs);
      const finish = () => {
        if (remaining.size) return;
        clearTimeout(timer);
        resolve();
      };
      // Transactional producers leave commit and abort markers, never delivered as messages: a log
      // that ends in one is read to its end when a processed batch's last offset (markers and
      // aborted records included) reaches it, which kafkajs reports once the batch is done.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const end = remaining.get(payload.partition);
        if (end !== undefined && BigInt(payload.lastOffset) + 1n >= end) remaining.delete(payload.partition);
        finish();
      });
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            const end = remaining.get(partition);
            if (end === undefined) return;
            const doc = JSON.parse(message.value?.toString() ?? "{}") as { dataset?: string; reason?: string; column?: string | null };
            if (doc.dataset && datasets.includes(doc.dataset)) {
              const key = `${doc.dataset}|${doc.reason}|${doc.column}`;
              const c = counts.get(key) ?? { dataset: doc.dataset, reason: doc.reason ?? "unknown", column: doc.column ?? null, rows: 0 };
              c.rows++;
              counts.set(key, c);
            }
            if (BigInt(message.offset) + 1n >= end) remaining.delete(partition);
            finish();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return [...counts.values()].sort((a, b) => b.rows - a.rows);
}
