import { Publisher, type Progress, type PublisherOptions } from './publisher';
import { toMessage, type Conversion } from './replay';

/** What went out since the last flush. */
export interface Flushed {
  events: number;
  deadLettered: number;
  eventBytes: number;
  /** Dead letters per reason. */
  reasons: Record<string, number>;
}

/**
 * Turns source records into messages and hands them to the publisher, counting events, dead
 * letters and event bytes between flushes. (Publishing threads were tried: on two shared cores the
 * copying between threads cost more CPU than the parallel encoding saved; see docs/ingest.md.)
 */
export class RecordSink {
  private counts: Flushed = { events: 0, deadLettered: 0, eventBytes: 0, reasons: {} };

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
  add(uri: string, row: number, text: string): Promise<void> | undefined {
    const out = toMessage(this.conversion, uri, row, text);
    if (out.event) {
      this.counts.events++;
      this.counts.eventBytes += out.size - 200;
    } else {
      this.counts.deadLettered++;
      this.counts.reasons[out.reason!] = (this.counts.reasons[out.reason!] ?? 0) + 1;
    }
    return this.publisher.send(out.topic, out.message);
  }

  /** Waits until the broker acknowledged every queued message; returns what went out since the last flush. */
  async flush(): Promise<Flushed> {
    await this.publisher.flush();
    const counts = this.counts;
    this.counts = { events: 0, deadLettered: 0, eventBytes: 0, reasons: {} };
    return counts;
  }

  /**
   * Commits the open transaction with `progress(counts)` recorded in it; returns what went out
   * since the last flush or commit.
   */
  async commit(progress: (chunk: Flushed) => Progress): Promise<Flushed> {
    const counts = this.counts;
    await this.publisher.commit(progress(counts));
    this.counts = { events: 0, deadLettered: 0, eventBytes: 0, reasons: {} };
    return counts;
  }

  async close(): Promise<void> {
    await this.publisher.disconnect();
  }
}
