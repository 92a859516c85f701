import { toEvent } from '../../events/to-event';
import { splitFields } from '../../source/records';
import { deadLetter } from './dead-letter';
import type { Publisher } from './publisher';
import { readSpill } from './spill';

export interface DayCounts {
  events: number;
  deadLettered: number;
}

export interface ReplayContext {
  publisher: Publisher;
  topic: string;
  dlqTopic: string;
  dataset: string;
  runId: string;
  /** Called every PROGRESS_EVERY records with the records handled so far (pacing, progress, stop requests). */
  onProgress: (records: number) => Promise<void>;
}

/** Granularity of pacing and stop checks: fine enough that a paced day of a few hundred lines flows smoothly. */
export const PROGRESS_EVERY = 64;

/**
 * Publishes one day of one raw object from its spill file, in source order: each record becomes an
 * event keyed by its Order ID, or a dead letter with the reason. Returns once every message is
 * queued; the caller flushes the publisher before marking the day produced.
 */
export async function replaySpill(ctx: ReplayContext, file: string, uri: string): Promise<DayCounts> {
  const counts: DayCounts = { events: 0, deadLettered: 0 };
  const headers = (row: number) => ({ 'source-uri': uri, 'source-row': String(row), 'run-id': ctx.runId });
  for await (const records of readSpill(file)) {
    for (const { row, text } of records) {
      const conversion = toEvent(splitFields(text), row, ctx.dataset, uri);
      if (conversion.ok) {
        const value = JSON.stringify(conversion.event);
        const key = Buffer.from(conversion.event.line.order_id);
        await ctx.publisher.send(ctx.topic, { key, value, headers: headers(row) }, value.length + 200);
        counts.events++;
      } else {
        const message = deadLetter(conversion.rejection, text, row, uri, ctx.dataset, ctx.runId);
        await ctx.publisher.send(ctx.dlqTopic, message, String(message.value).length + 200);
        counts.deadLettered++;
      }
      const done = counts.events + counts.deadLettered;
      if (done % PROGRESS_EVERY === 0) await ctx.onProgress(done);
    }
  }
  await ctx.onProgress(counts.events + counts.deadLettered);
  return counts;
}
