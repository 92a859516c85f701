import { CompressionTypes, type Kafka, type Message, type Producer } from 'kafkajs';
import { partitionOf } from '../../events/partition';
import { RecordBatchBuilder } from '../../kafka/batch-builder';

export type Compression = 'gzip' | 'none';

export interface PublisherOptions {
  /** Partitions of each topic the publisher writes to. */
  partitions: Record<string, number>;
  compression: Compression;
  /** 1..9 when compression is gzip. */
  gzipLevel: number;
  /** Uncompressed bytes per partition batch: below the broker's 1 MiB message.max.bytes even uncompressed. */
  batchBytes: number;
}

interface Queue {
  topic: string;
  partition: number;
  producer: Producer;
  /** The next batch, encoded as messages arrive. */
  batch: RecordBatchBuilder;
  inFlight: Promise<void> | null;
}

/**
 * Publishes messages with idempotent producers (acks=all), one producer and one queue per
 * topic-partition, each with at most one batch in flight: Kafka's per-partition order and the
 * idempotent producer's sequence numbers hold, while batches of different partitions travel
 * together and the caller builds the next batch meanwhile. (kafkajs serialises an idempotent
 * producer's requests to a broker behind one lock, so one producer could not overlap them.)
 * Producers retry a failed send until the broker is back (kafkajs's default for idempotence).
 */
export class Publisher {
  /** Each topic's queues, by partition. */
  private readonly byTopic = new Map<string, Queue[]>();
  private failure: unknown;
  private readonly compression: CompressionTypes;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: PublisherOptions,
  ) {
    this.compression = options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
  }

  /** Connects one producer per partition of every topic up front (an InitProducerId each). */
  async connect(): Promise<void> {
    const queues: Queue[] = [];
    for (const [topic, partitions] of Object.entries(this.options.partitions)) {
      for (let partition = 0; partition < partitions; partition++) {
        const producer = this.kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
        });
        const queue: Queue = {
          topic,
          partition,
          producer,
          batch: new RecordBatchBuilder({ gzipLevel: this.options.gzipLevel }),
          inFlight: null,
        };
        queues.push(queue);
      }
    }
    for (const q of queues) this.byTopic.set(q.topic, [...(this.byTopic.get(q.topic) ?? []), q]);
    await Promise.all(queues.map((q) => q.producer.connect()));
  }

  /**
   * Encodes a message into its partition's next batch at once (so it is garbage right away).
   * Returns a promise only when that batch is full: it resolves once the batch is handed to its
   * producer, which waits for the previous batch of the partition to be acknowledged.
   * @throws the first send failure of any partition.
   */
  send(topic: string, message: Message & { key: Buffer }): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    const queues = this.byTopic.get(topic);
    if (!queues) throw new Error(`publisher was not told the partitions of ${topic}`);
    const queue = queues[partitionOf(message.key, queues.length)]!;
    queue.batch.append(message);
    return queue.batch.bytes >= this.options.batchBytes ? this.dispatch(queue) : undefined;
  }

  private async dispatch(queue: Queue): Promise<void> {
    if (queue.inFlight) await queue.inFlight;
    if (this.failure) throw this.failure;
    if (!queue.batch.count) return;
    const messages = queue.batch.take(queue.partition);
    queue.inFlight = queue.producer
      .sendBatch({ topicMessages: [{ topic: queue.topic, messages }], acks: -1, compression: this.compression })
      .then(
        () => undefined,
        (error: unknown) => {
          this.failure ??= error;
        },
      );
  }

  /** Sends every queued message and waits until the broker acknowledged all of them. */
  async flush(): Promise<void> {
    const queues = [...this.byTopic.values()].flat();
    await Promise.all(queues.map((q) => this.dispatch(q)));
    await Promise.all(queues.map((q) => q.inFlight));
    if (this.failure) throw this.failure;
  }

  async disconnect(): Promise<void> {
    const queues = [...this.byTopic.values()].flat();
    await Promise.all(queues.map((q) => q.producer.disconnect().catch(() => undefined)));
  }
}
