import { Publisher, type Progress, type PublisherOptions } from './publisher';
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
 * Turns source records into messages and hands them to the publisher, counting events, dead
 * letters and event bytes into the counts it was last given (`countInto`). (Publishing threads were tried: on two shared cores the
 * copying between threads cost more CPU than the parallel encoding saved; see docs/ingest.md.)
 */
export class RecordSink {
  private counts: Flushed = { events: 0, deadLettered: 0, eventBytes: 0, reasons: {} };
  private uri: string | undefined;
  private encoder: EventEncoder | undefined;

  constructor(
    private readonly publisher: Publisher,
    private readonly conversion: Conversion,
  ) {}

  static async connect(kafka: ConstructorParameters<typeof Publisher>[0], options: PublisherOptions, c: Conversion) {
    const publisher = new Publisher(kafka, options);
    await publisher.connect();
    return new RecordSink(publisher, c);
  }

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
      const { keyStart, keyEnd, bytes, headersLength } = encoder;
      return this.publisher.sendEncoded(this.conversion.topic, data, keyStart, keyEnd, bytes, length, headersLength);
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

  /** Waits until the broker acknowledged every queued message. */
  async flush(): Promise<void> {
    await this.publisher.flush();
  }

  /** Commits the open transaction with the progress records in it (Publisher.commit). */
  async commit(progress: Progress[]): Promise<void> {
    await this.publisher.commit(progress);
  }

  async close(): Promise<void> {
    await this.publisher.disconnect();
  }
}
