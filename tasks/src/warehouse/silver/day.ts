import type { S3Client } from '@aws-sdk/client-s3';
import { KeyOrder } from './key-order';
import { emptySummary, newDayMembers, readSilverFile, type DayMembers, type StagedBatch } from './reader';
import { findSilverPartition, silverBuffer, type SilverPartition } from './source';

/**
 * The silver partition of one (dataset, dt) as the load consumes it: its manifest and parts, and
 * its staged lines, decoded once. A history load asks the next day to read ahead while the
 * current day's SQL runs on the server, so decoding and the warehouse's work overlap.
 */
export class SilverDay {
  readonly summary = emptySummary();
  readonly members: DayMembers = newDayMembers();
  /** The lines' key order, checked across the day's files. */
  private readonly keys = new KeyOrder();
  /** Milliseconds spent decoding Parquet (synchronous work between batches). */
  decodeMs = 0;
  private found?: Promise<SilverPartition>;
  private source?: AsyncGenerator<StagedBatch>;
  private readonly queue: StagedBatch[] = [];
  private queuedRows = 0;
  private pump?: Promise<void>;
  private stopPump = false;
  private resume?: () => void;
  private failure: unknown;
  private ended = false;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    readonly dataset: string,
    readonly dt: string,
    private readonly options: { ordered?: boolean; throwIfStopped: () => void; signal?: AbortSignal },
  ) {}

  /** The partition's manifest and parts (listed and checked once). */
  partition(): Promise<SilverPartition> {
    this.found ??= findSilverPartition(this.s3, this.bucket, this.dataset, this.dt, this.options.signal);
    return this.found;
  }

  private async *read(): AsyncGenerator<StagedBatch> {
    const p = await this.partition();
    for (const part of p.parts) {
      this.options.throwIfStopped();
      const buffer = silverBuffer(this.s3, this.bucket, part.key, part.size, this.options.signal);
      const name = `s3://${this.bucket}/${part.key}`;
      const batches = readSilverFile(name, buffer, p, this.summary, this.members, {
        ...this.options,
        keys: this.keys,
      });
      for (;;) {
        const t0 = performance.now();
        const next = await batches.next();
        this.decodeMs += performance.now() - t0;
        if (next.done) break;
        yield next.value;
        this.options.throwIfStopped();
      }
    }
  }

  /** Starts decoding ahead, keeping at most `maxRows` lines in memory until batches() takes them. */
  prefetch(maxRows: number): void {
    if (this.pump || this.source) return;
    const source = (this.source = this.read());
    this.pump = (async () => {
      try {
        while (!this.stopPump) {
          if (this.queuedRows >= maxRows) await new Promise<void>((r) => (this.resume = r));
          if (this.stopPump) return;
          const next = await source.next();
          if (next.done) return void (this.ended = true);
          this.queue.push(next.value);
          this.queuedRows += next.value.length;
        }
      } catch (error) {
        this.failure = error;
        this.ended = true;
      }
    })();
  }

  /** Every staged batch of the day, once: what was read ahead, then the rest as it decodes. */
  async *batches(): AsyncGenerator<StagedBatch> {
    if (this.pump) {
      this.stopPump = true;
      this.resume?.();
      await this.pump;
      while (this.queue.length) yield this.queue.shift()!;
      if (this.failure) throw this.failure;
      if (this.ended) return;
    }
    this.source ??= this.read();
    yield* this.source;
  }

  /** Stops reading ahead (the run ends before this day loads). */
  async cancel(): Promise<void> {
    this.stopPump = true;
    this.resume?.();
    await this.pump;
    await this.source?.return(undefined);
    this.found?.catch(() => undefined);
  }
}
