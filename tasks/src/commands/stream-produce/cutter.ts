import type { Message } from 'kafkajs';
import { partitionOf } from '../../events/partition';
import { RecordBatchBuilder, type EncodedRecord } from '../../kafka/batch-builder';
import type { EncodedBatch } from './publisher';
import type { MessageQueue } from './sink';

/** How a BatchCutter batches: each topic's partitions, a batch's size, and how many cuts may wait. */
export interface CutterOptions {
  /** Partitions of each topic (the events' and the dead letters'). */
  partitions: Record<string, number>;
  /** Uncompressed bytes of a partition batch. */
  batchBytes: number;
  /** Cuts handed over and not yet sent before the cutter waits (bounds memory). */
  cutsAhead: number;
}

/**
 * A MessageQueue that encodes each message into its partition's record batch and, when one is
 * full, cuts: hands every partition's batch over at once (a cut is what one produce request
 * carries), then waits while `cutsAhead` cuts are not yet sent.
 */
export class BatchCutter implements MessageQueue {
  private readonly byTopic = new Map<string, { topic: string; partition: number; batch: RecordBatchBuilder }[]>();
  private ahead = 0;
  private wake: (() => void) | undefined;

  constructor(
    private readonly options: CutterOptions,
    private readonly handOver: (batches: EncodedBatch[]) => void,
  ) {
    for (const [topic, n] of Object.entries(options.partitions)) {
      const queues = Array.from({ length: n }, (_, partition) => ({
        topic,
        partition,
        batch: new RecordBatchBuilder(),
      }));
      this.byTopic.set(topic, queues);
    }
  }

  send(topic: string, message: Message & { key: Buffer }): Promise<void> | undefined {
    const queues = this.queues(topic);
    const queue = queues[partitionOf(message.key, queues.length)]!;
    queue.batch.append(message);
    return queue.batch.bytes >= this.options.batchBytes ? this.cut() : undefined;
  }

  sendEncoded(topic: string, record: EncodedRecord): Promise<void> | undefined {
    const queues = this.queues(topic);
    const queue = queues[partitionOf(record.key, queues.length, record.keyStart, record.keyEnd)]!;
    queue.batch.appendEncoded(record);
    return queue.batch.bytes >= this.options.batchBytes ? this.cut() : undefined;
  }

  /** Hands over every partition's batch (none when nothing is pending), then waits for room. */
  async cut(): Promise<void> {
    const batches: EncodedBatch[] = [];
    for (const queues of this.byTopic.values()) {
      for (const { topic, partition, batch } of queues) {
        const count = batch.count;
        if (count) batches.push({ topic, partition, count, records: batch.takeRecords() });
      }
    }
    this.ahead++;
    this.handOver(batches);
    while (this.ahead >= this.options.cutsAhead) await new Promise<void>((resolve) => (this.wake = resolve));
  }

  /** The main thread sent a cut's batches. */
  sent(): void {
    this.ahead--;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private queues(topic: string) {
    const queues = this.byTopic.get(topic);
    if (!queues) throw new Error(`the encoder was not told the partitions of ${topic}`);
    return queues;
  }
}
