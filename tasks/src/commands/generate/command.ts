import path from 'node:path';
import type { CommandModule } from 'yargs';
import { parseIsoDate } from '../../dates';
import { localDataDir, sampleSourceFile } from '../../paths';
import type { GlobalArgs } from '../../runtime';
import { DEFAULT_FROM, DEFAULT_TO, FULL_ROWS } from './figures';

export interface GenerateArgs extends GlobalArgs {
  rows: number;
  seed: number;
  from: string;
  to: string;
  out?: string | undefined;
  calibration: string;
}

/** `.local/data/amazon_sale_report_synthetic_seed<seed>_<rows>.csv`: the name maps to dataset `synthetic-seed<seed>-<rows>`. */
export function defaultOutput(seed: number, rows: number): string {
  return path.join(localDataDir, `amazon_sale_report_synthetic_seed${seed}_${rows}.csv`);
}

export const generateCommand: CommandModule<GlobalArgs, GenerateArgs> = {
  command: 'generate',
  describe: 'Write a synthetic Amazon Sale Report CSV in the original format, calibrated to the real extracts',
  builder: (y) =>
    y
      .option('rows', {
        type: 'number',
        default: FULL_ROWS,
        describe: 'Order lines to write (the full file has 128,975)',
      })
      .option('seed', { type: 'number', default: 1, describe: 'PRNG seed: the same seed and rows give the same bytes' })
      .option('from', { type: 'string', default: DEFAULT_FROM, describe: 'First order date', coerce: parseIsoDate })
      .option('to', {
        type: 'string',
        default: DEFAULT_TO,
        describe: 'Last order date (inclusive)',
        coerce: parseIsoDate,
      })
      .option('out', {
        type: 'string',
        describe: 'Output file',
        defaultDescription: '.local/data/amazon_sale_report_synthetic_seed<seed>_<rows>.csv',
      })
      .option('calibration', {
        type: 'string',
        default: path.dirname(sampleSourceFile),
        defaultDescription: '../shared/data',
        describe: 'Folder holding the real extracts the generator is calibrated to (read in place)',
      })
      .check((a) => {
        if (!Number.isInteger(a.rows) || a.rows < 1) throw new Error('--rows must be a whole number >= 1');
        if (!Number.isInteger(a.seed) || a.seed < 0 || a.seed > 0xffffffff) {
          throw new Error('--seed must be a whole number in 0..4294967295');
        }
        if (a.to < a.from) throw new Error('--to must not be before --from');
        return true;
      }),
  handler: async (args) => {
    const { run } = await import('./index');
    await run(args);
  },
};
