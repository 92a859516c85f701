import { access } from 'node:fs/promises';
import path from 'node:path';
import { InputRejectedError } from '../../errors';
import { runStep } from '../../runtime';
import type { ProfileArgs } from './command';
import { profileFile, type FileProfile } from './profiler';
import { renderProfiles } from './render';

/**
 * profile: prints the profile of each file (a table, or `--json`), side by side when several.
 * Progress lines go to stderr, so stdout is only the report.
 */
export async function run(args: ProfileArgs, out: (text: string) => void = (t) => process.stdout.write(t)) {
  return runStep('profile', { ...args, logLevel: args.logLevel ?? 'warn' }, async (ctx) => {
    const profiles: FileProfile[] = [];
    for (const source of args.source) {
      const file = path.resolve(source);
      try {
        await access(file);
      } catch {
        throw new InputRejectedError(`source file not found or unreadable: ${file}`, { details: { file } });
      }
      let lastLog = Date.now();
      const profile = await profileFile(file, args.top, (rows) => {
        ctx.throwIfStopped();
        if (Date.now() - lastLog < 2_000) return;
        lastLog = Date.now();
        process.stderr.write(`profiling ${path.basename(file)}: ${rows.toLocaleString('en-US')} rows\n`);
      });
      if (!profile.header.length) throw new InputRejectedError(`${file}: the file is empty`, { details: { file } });
      profiles.push(profile);
    }
    out(args.json ? `${JSON.stringify({ profiles }, null, 2)}\n` : renderProfiles(profiles));
    return profiles;
  });
}
