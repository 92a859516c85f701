import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { SOURCE_COLUMNS } from '../../source/columns';
import type { Calibration } from './calibration';
import { daysBetween, linesPerDay } from './days';
import { P_DUPLICATE_LINE } from './figures';
import { csvRecord, sourceDate } from './format';
import { OrderModel, type Line } from './model';
import { Prng } from './prng';

export interface GenerateOptions {
  rows: number;
  seed: number;
  from: string;
  to: string;
  out: string;
}

export interface GenerateStats {
  rows: number;
  orders: number;
  bytes: number;
  duplicatedKeys: number;
  perDay: Record<string, number>;
  catalogue: { styles: number; skus: number };
}

export interface Progress {
  rows: number;
  day: string;
}

const FLUSH_CHARS = 1 << 20;

/**
 * Writes a synthetic file in the source format, one day after the other, streaming: memory holds
 * the calibration, the catalogue and one ~1 MB write buffer, whatever `rows` is. The file is
 * written under `<out>.partial` and renamed when complete, so an interrupted run leaves no file
 * that looks finished. Same (seed, rows, from, to): the same bytes.
 */
export async function generateCsv(
  options: GenerateOptions,
  calibration: Calibration,
  onProgress: (p: Progress) => void = () => undefined,
  shouldStop: () => void = () => undefined,
): Promise<GenerateStats> {
  const model = new OrderModel(options.seed, calibration);
  const rng = Prng.derive(options.seed, 'lines');
  const quotas = linesPerDay(options.rows, daysBetween(options.from, options.to), options.seed);
  const partial = `${options.out}.partial`;
  const stream = createWriteStream(partial, { highWaterMark: 1 << 22 });
  const stats: GenerateStats = {
    rows: 0,
    orders: 0,
    bytes: 0,
    duplicatedKeys: 0,
    perDay: {},
    catalogue: model.catalogueSize,
  };
  let failure: Error | undefined;
  stream.on('error', (error) => (failure = error));
  let buffer = csvRecord(SOURCE_COLUMNS);
  const flush = async () => {
    if (failure) throw failure;
    stats.bytes += Buffer.byteLength(buffer);
    if (!stream.write(buffer)) await once(stream, 'drain');
    buffer = '';
  };
  try {
    for (const [day, quota] of quotas) {
      const date = sourceDate(day);
      let left = quota;
      while (left > 0) {
        const order = model.order(rng);
        stats.orders++;
        const lines = order.nonAmazon ? 1 : Math.min(model.lineCount(rng), left);
        const skus = new Set<string>();
        for (let i = 0; i < lines && left > 0; i++) {
          let line: Line = model.line(rng, order);
          // An order lists each SKU once; a repeat is the rare duplicated key, added on purpose below.
          for (let tries = 0; skus.has(line.sku) && tries < 5; tries++) line = model.line(rng, order);
          skus.add(line.sku);
          buffer += csvRecord(model.fields(stats.rows++, date, order, line));
          left--;
          if (left > 0 && rng.chance(P_DUPLICATE_LINE)) {
            const again = { ...line, ...model.lineValues(rng, order, line.category) };
            buffer += csvRecord(model.fields(stats.rows++, date, order, again));
            stats.duplicatedKeys++;
            left--;
          }
        }
        if (buffer.length >= FLUSH_CHARS) {
          await flush();
          shouldStop();
          onProgress({ rows: stats.rows, day });
        }
      }
      stats.perDay[day] = quota;
    }
    await flush();
    stream.end();
    await once(stream, 'finish');
    await rename(partial, options.out);
    return stats;
  } catch (error) {
    stream.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}
