import { CompressionTypes, type Kafka, type Message, type Producer, type Transaction } from 'kafkajs';
import { BATCH_HEADER_BYTES, markers, type EncodedRecord } from '../../kafka/batch-builder';
import { gzip } from '../../kafka/gzip-pool';
import { mapConcurrent } from '../../concurrency';
import { withRetry } from '../../retry';
import { kafkaRetriable } from './progress';
import type { MessageQueue } from './sink';
import { BatchCutter } from './cutter';

/** Progress offsets sent at once at a commit (each an AddOffsetsToTxn and a TxnOffsetCommit). */
const OFFSET_COMMITS = 16;

export type Compression = 'gzip' | 'none';

export interface PublisherOptions {
  /** Partitions of each topic the publisher writes to. */
  partitions: Record<string, number>;
  compression: Compression;
  /** 1..9 when compression is gzip. */
  gzipLevel: number;
  /** Uncompressed bytes per partition batch: below the broker's 1 MiB message.max.bytes even uncompressed. */
  batchBytes: number;
  /** The producer's transactional id: a re-run with the same id fences the run before it. */
  transactionalId: string;
  /** The broker aborts a transaction left open longer than this. */
  transactionTimeoutMs: number;
}

/** One partition's records, encoded by a RecordBatchBuilder (the header's room, then the records). */
export interface EncodedBatch {
  topic: string;
  partition: number;
  records: Buffer;
  count: number;
}

/** What a transaction's commit records, atomically with its messages (docs/ingest.md, exactly once). */
export interface Progress {
  /** The consumer group whose offset records the progress (one per dataset, day and raw content). */
  group: string;
  topic: string;
  /** Records of the (source, day) published up to and including this transaction. */
  offset: number;
  /** The counts so far, as JSON (read back by a re-run). */
  metadata: string;
}

/**
 * Publishes messages with one transactional producer (acks=all, idempotent): each topic-partition
 * has its own batch, encoded as messages arrive (BatchCutter); when one is full, every partition's
 * batch goes out in one produce request while the caller builds the next ones (one request in
 * flight, as kafkajs requires of an idempotent producer). Batches encoded on another thread come
 * in through `sendBatches`. Messages are only visible to read_committed consumers once `commit`
 * ran: a transaction is the unit that is published exactly once. Producers retry a failed send
 * until the broker is back (kafkajs's default for idempotence).
 */
export class Publisher implements MessageQueue {
  private failure: unknown;
  private readonly compression: CompressionTypes;
  private producer: Producer | undefined;
  private transaction: Transaction | undefined;
  private inFlight: Promise<void> | null = null;
  private cutter: BatchCutter | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: PublisherOptions,
  ) {
    this.compression = options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
  }

  /** Connects the producer (an InitProducerId, which fences and aborts an earlier run's open transaction). */
  async connect(): Promise<void> {
    // One cut at a time: a full batch waits until the request before it was answered and its own sent.
    const options = { partitions: this.options.partitions, batchBytes: this.options.batchBytes, cutsAhead: 1 };
    this.cutter = new BatchCutter(options, (batches) => {
      this.sendBatches(batches).then(
        () => this.cutter!.sent(),
        (error: unknown) => {
          this.failure ??= error;
          this.cutter!.sent();
        },
      );
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      transactionalId: this.options.transactionalId,
      transactionTimeout: this.options.transactionTimeoutMs,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await this.producer.connect();
  }

  /**
   * Encodes a message into its partition's next batch at once (so it is garbage right away).
   * Returns a promise only when that batch is full: it resolves once the batches are handed to the
   * producer, which waits for the previous request to be acknowledged.
   * @throws the first send failure.
   */
  send(topic: string, message: Message & { key: Buffer }): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    return this.cutter!.send(topic, message);
  }

  /** `send` for a record already in bytes (EventEncoder's output). */
  sendEncoded(topic: string, record: EncodedRecord): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    return this.cutter!.sendEncoded(topic, record);
  }

  /**
   * Sends record batches encoded elsewhere (BatchCutter, on the encoding thread) as one produce
   * request, once the request before it was acknowledged; resolves when it is on its way.
   * @throws the first send failure.
   */
  async sendBatches(batches: readonly EncodedBatch[]): Promise<void> {
    const level = this.options.gzipLevel;
    const topicMessages = batches.map((b) => {
      // Compressed while the request before it travels, instead of after its answer.
      const compressed =
        this.compression === CompressionTypes.GZIP ? gzip(b.records.subarray(BATCH_HEADER_BYTES), level) : undefined;
      compressed?.catch(() => undefined); // a failure surfaces through the request that awaits it
      return { topic: b.topic, messages: markers(b.records, b.count, b.partition, level, compressed) };
    });
    if (this.inFlight) await this.inFlight;
    if (this.failure) throw this.failure;
    if (!topicMessages.length) return;
    this.transaction ??= await this.producer!.transaction();
    this.inFlight = this.transaction.sendBatch({ topicMessages, acks: -1, compression: this.compression }).then(
      () => undefined,
      (error: unknown) => {
        this.failure ??= error;
      },
    );
  }

  /** Sends every queued message and waits until the broker acknowledged all of them. */
  async flush(): Promise<void> {
    await this.cutter!.cut();
    await this.inFlight;
    if (this.failure) throw this.failure;
  }

  /**
   * Flushes and commits the open transaction with the progress offsets as part of it (so each
   * progress record is committed if and only if the messages are). A transaction may carry
   * several days' progress: their offsets are sent together (one consumer group each).
   */
  async commit(progress: Progress[]): Promise<void> {
    await this.flush();
    this.transaction ??= await this.producer!.transaction();
    const transaction = this.transaction;
    // A fresh broker answers "not the coordinator" for the group while it loads its offsets topic:
    // retried within the same transaction (adding the same group's offsets again is harmless).
    const send = (p: Progress) => {
      // kafkajs's types omit the metadata its TxnOffsetCommit sends.
      const partitions = [{ partition: 0, offset: String(p.offset), metadata: p.metadata }];
      const topics = [{ topic: p.topic, partitions }];
      return withRetry(() => transaction.sendOffsets({ consumerGroupId: p.group, topics }), {
        attempts: 8,
        initialDelayMs: 250,
        maxDelayMs: 4_000,
        isRetriable: kafkaRetriable,
      });
    };
    await mapConcurrent(progress, OFFSET_COMMITS, send);
    this.transaction = undefined;
    await transaction.commit();
  }

  async disconnect(): Promise<void> {
    if (this.transaction?.isActive()) await this.transaction.abort().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
  }
}
