#!/usr/bin/env node
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { analysisCommand } from './commands/analysis/command';
import { dashboardCommand } from './commands/dashboard/command';
import { dashboardPublishCommand } from './commands/dashboard-publish/command';
import { doctorCommand } from './commands/doctor/command';
import { generateCommand } from './commands/generate/command';
import { glueTransformCommand } from './commands/glue-transform/command';
import { profileCommand } from './commands/profile/command';
import { ingestRawCommand } from './commands/ingest-raw/command';
import { qualityGateCommand } from './commands/quality-gate/command';
import { streamLandCommand } from './commands/stream-land/command';
import { streamProduceCommand } from './commands/stream-produce/command';
import { trainCommand } from './commands/train/command';
import { warehouseLoadCommand } from './commands/warehouse-load/command';
import { warehouseMigrateCommand } from './commands/warehouse-migrate/command';
import { parseIsoDate } from './dates';
import { ConfigError, exitCodeFor, PipelineError } from './errors';
import type { GlobalArgs } from './runtime';

// The AWS SDK is pinned to releases that still support Node 20 (see package.json); its notice that
// later releases need Node 22 is known and would otherwise print on every run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The CLI: one command per pipeline step; each command lazily loads its implementation. */
export function buildCli(argv: string[]): Argv<GlobalArgs> {
  return yargs(argv)
    .scriptName('sales-pipeline')
    .usage('$0 <step> [--dt YYYY-MM-DD] [options]')
    .option('dt', {
      type: 'string',
      describe: 'Logical date of the run (the partition it reads and writes)',
      coerce: (v: string | undefined) => (v === undefined ? v : parseIsoDate(v)),
    })
    .option('profile', {
      type: 'string',
      choices: ['local', 'aws'],
      describe: 'Which services to talk to [env PIPELINE_PROFILE, default local]',
    })
    .option('log-level', {
      type: 'string',
      choices: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
      describe: 'Log level [env LOG_LEVEL, default info]',
    })
    .option('run-id', { type: 'string', describe: 'Run id to record (Airflow passes its own) [env RUN_ID]' })
    .option('xcom-path', {
      type: 'string',
      describe: 'Where to write the step result JSON [env XCOM_PATH, default /airflow/xcom/return.json]',
    })
    .command(doctorCommand)
    .command(ingestRawCommand)
    .command(streamProduceCommand)
    .command(streamLandCommand)
    .command(glueTransformCommand)
    .command(qualityGateCommand)
    .command(warehouseMigrateCommand)
    .command(warehouseLoadCommand)
    .command(analysisCommand)
    .command(dashboardCommand)
    .command(dashboardPublishCommand)
    .command(generateCommand)
    .command(profileCommand)
    .command(trainCommand)
    .demandCommand(1, 'Name a step to run.')
    .recommendCommands()
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .exitProcess(false)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .epilogue('Exit codes: 0 ok, 1 input rejected or gate failed, 2 usage/config error, 3 crash.')
    .fail((message, error) => {
      // yargs reports its own validation (and our coerce functions) as YError: a usage problem.
      if (error && error.name !== 'YError') throw error;
      throw new ConfigError(`${message ?? error?.message}\nRun 'sales-pipeline --help' for usage.`);
    }) as Argv<GlobalArgs>;
}

/** The one error boundary: runs the CLI and maps every outcome to an exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildCli(argv).parseAsync();
    return 0;
  } catch (error) {
    const code = exitCodeFor(error);
    const message = error instanceof Error ? error.message : String(error);
    // Humans get one line; the JSON log keeps the details (and the stack only for real crashes).
    process.stderr.write(`sales-pipeline: ${message}\n`);
    const record: Record<string, unknown> = { level: 'error', exitCode: code, msg: message };
    if (error instanceof PipelineError) Object.assign(record, { error: error.name, ...error.details });
    if (!(error instanceof PipelineError) && error instanceof Error) record.stack = error.stack;
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), app: 'sales-pipeline', ...record })}\n`);
    return code;
  }
}

if (require.main === module) {
  main(hideBin(process.argv)).then((code) => {
    process.exitCode = code;
    // The step is over and its result written: a request still open on a dead sink (a paused S3
    // store never answers) must not keep the process alive. Unref'd: it only fires if one does.
    // eslint-disable-next-line no-restricted-properties -- the error boundary itself, after the exit code is set
    setTimeout(() => process.exit(code), 10_000).unref();
  });
}
