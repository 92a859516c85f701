import type { Admin, Consumer } from 'kafkajs';
import type { StepContext } from '../../runtime';
import { commitThrough } from './land-batch';

export interface TickerParts {
  admin: Admin;
  consumer: Consumer;
  topic: string;
  group: string;
  /** Each partition's committed offset as this run knows it (updated in place). */
  start: Map<number, bigint>;
  /** Offsets to stop at (scheduled mode), null when following. */
  stopAt: Map<number, bigint> | null;
}

/** A promise that rejects after `ms` (so a call to a broker that is down cannot hold the ticker). */
export const within = <T>(ms: number, what: Promise<T>): Promise<T> =>
  Promise.race([
    what,
    new Promise<T>((_resolve, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref()),
  ]);

/**
 * The lander's periodic look at the group: reads its committed offsets (the run's progress), and
 * commits past fetches whose records were all filtered out, which kafkajs never hands to eachBatch.
 */
export class Ticker {
  constructor(
    private readonly ctx: StepContext,
    private readonly parts: TickerParts,
  ) {}

  /** Runs `tick` every `ms` (never two at once); a failing tick is logged, not fatal. Returns a stop function. */
  every(ms: number, tick: () => Promise<void>): () => void {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const loop = async () => {
      try {
        await tick();
      } catch (error) {
        this.ctx.logger.warn({ err: error }, 'progress check failed');
      }
      if (!stopped) timer = setTimeout(() => void loop(), ms);
    };
    timer = setTimeout(() => void loop(), ms);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  /** The group's committed offsets, merged into `start` (never moving it back). */
  async committed(): Promise<Map<number, bigint>> {
    const { admin, group, topic, start } = this.parts;
    const [entry] = await within(10_000, admin.fetchOffsets({ groupId: group, topics: [topic] }));
    for (const p of entry?.partitions ?? []) {
      const offset = BigInt(p.offset === '-1' ? '0' : p.offset);
      if (offset > (start.get(p.partition) ?? 0n)) start.set(p.partition, offset);
    }
    return start;
  }

  /** Commits a partition past a fetch that held nothing to land (up to the run's end only). */
  async commitFiltered(partition: number, lastOffset: string): Promise<void> {
    const { consumer, topic, start, stopAt } = this.parts;
    const at = start.get(partition) ?? 0n;
    const through = BigInt(commitThrough(lastOffset, stopAt?.get(partition) ?? BigInt(Number.MAX_SAFE_INTEGER), at));
    if (through <= at) return;
    await consumer.commitOffsets([{ topic, partition, offset: through.toString() }]);
    start.set(partition, through);
  }
}
