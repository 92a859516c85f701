import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { runStep } from '../../runtime';
import { datasetIdFor } from '../../source/dataset';
import { loadCalibration } from './calibration';
import { defaultOutput, type GenerateArgs } from './command';
import { daysBetween } from './days';
import { generateCsv } from './writer';

/** generate: writes a synthetic source file, logging progress every two seconds. */
export async function run(args: GenerateArgs) {
  return runStep('generate', args, async (ctx) => {
    const { logger } = ctx;
    const out = path.resolve(args.out ?? defaultOutput(args.seed, args.rows));
    await mkdir(path.dirname(out), { recursive: true });
    const calibration = loadCalibration(args.calibration);
    const days = daysBetween(args.from, args.to).length;
    logger.info({ out, rows: args.rows, seed: args.seed, from: args.from, to: args.to, days }, 'generating');
    const started = Date.now();
    let lastLog = started;
    const stats = await generateCsv(
      { rows: args.rows, seed: args.seed, from: args.from, to: args.to, out },
      calibration,
      ({ rows, day }) => {
        const now = Date.now();
        if (now - lastLog < 2_000) return;
        lastLog = now;
        const pct = Math.round((1000 * rows) / args.rows) / 10;
        logger.info({ rows, pct, day, rowsPerSec: Math.round(rows / ((now - started) / 1000)) }, 'generating');
      },
      () => ctx.throwIfStopped(),
    );
    const seconds = (Date.now() - started) / 1000;
    const { perDay, ...summary } = stats;
    logger.info(
      { out, dataset: datasetIdFor(out) ?? null, ...summary, days: Object.keys(perDay).length, seconds },
      'file written',
    );
    ctx.result.result.dataset = datasetIdFor(out) ?? null;
    ctx.result.output({ uri: `file://${out}`, rows: stats.rows, bytes: stats.bytes });
    return { out, ...stats };
  });
}
