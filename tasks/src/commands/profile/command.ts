import type { Argv, CommandModule } from 'yargs';
import type { GlobalArgs } from '../../runtime';

export interface ProfileArgs extends GlobalArgs {
  source: string[];
  json: boolean;
  top: number;
}

export const profileCommand: CommandModule<GlobalArgs, ProfileArgs> = {
  command: 'profile',
  describe: 'Profile CSV files in one streaming pass each: rows, nulls, distincts, top values, dates, amounts',
  builder: (y) =>
    y
      .option('source', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'CSV file(s); two or more are shown side by side',
      })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document instead of tables' })
      .option('top', { type: 'number', default: 12, describe: 'Top values to show per column' })
      .check((a) => {
        if (!Number.isInteger(a.top) || a.top < 1) throw new Error('--top must be a whole number >= 1');
        return true;
      }) as unknown as Argv<ProfileArgs>,
  handler: async (args) => {
    const { run } = await import('./index');
    await run(args);
  },
};
