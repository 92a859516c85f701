import type { Message } from 'kafkajs';
import type { EncodedRecord } from '../../kafka/batch-builder';
import { EventEncoder } from '../../events/event-bytes';
import { toMessage, type Conversion } from './replay';

/** What went out (events, dead letters, their reasons and the events' bytes). */
export interface Flushed {
  events: number;
  deadLettered: number;
  eventBytes: number;
  /** Dead letters per reason. */
  reasons: Record<string, number>;
}

/**
 * Where a sink's messages go: the Publisher (straight to Kafka) or a BatchCutter (record batches
 * handed from the encoding thread to the publishing one). Each returns a promise only when the
 * caller must wait.
 */
export interface MessageQueue {
  send(topic: string, message: Message & { key: Buffer }): Promise<void> | undefined;
  sendEncoded(topic: string, record: EncodedRecord): Promise<void> | undefined;
}

/**
 * Turns source records into messages and hands them to a queue, counting events, dead
 * letters and event bytes into the counts it was last given (`countInto`).
 */
export class RecordSink {
  private counts: Flushed = { events: 0, deadLettered: 0, eventBytes: 0, reasons: {} };
  private uri: string | undefined;
  private encoder: EventEncoder | undefined;

  constructor(
    private readonly publisher: MessageQueue,
    private readonly conversion: Conversion,
  ) {}

  /**
   * Queues one record's message. Returns a promise only when the caller must wait (its partition's
   * batch is full and the previous one still in flight): most records cost no promise and no
   * microtask.
   */
  add(uri: string, row: number, data: Buffer, start: number, end: number): Promise<void> | undefined {
    if (uri !== this.uri) {
      this.uri = uri;
      this.encoder = new EventEncoder(this.conversion.dataset, uri, this.conversion.runId);
    }
    // Most records: the event's bytes written straight from the record's (EventEncoder).
    const encoder = this.encoder!;
    const length = encoder.encode(data, start, end, row);
    if (length >= 0) {
      this.counts.events++;
      this.counts.eventBytes += length;
      return this.publisher.sendEncoded(this.conversion.topic, encoder);
    }
    // The rest (quotes to unescape, bad values, dead letters): fields, event object, JSON.stringify.
    const out = toMessage(this.conversion, uri, row, data.toString('utf8', start, end));
    if (out.event) {
      this.counts.events++;
      this.counts.eventBytes += out.size - 200;
    } else {
      this.counts.deadLettered++;
      this.counts.reasons[out.reason!] = (this.counts.reasons[out.reason!] ?? 0) + 1;
    }
    return this.publisher.send(out.topic, out.message);
  }

  /** The counts the following records are added to (a (source, day)'s). */
  countInto(counts: Flushed): void {
    this.counts = counts;
  }
}
