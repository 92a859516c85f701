import { randomBytes } from 'node:crypto';
import { createS3Client } from './clients/s3';
import { loadConfig, type Config } from './config';
import { InterruptedError } from './errors';
import { createLogger, type Logger } from './logger';
import { ResultBuilder, writeResult } from './result';

/** Flags every command accepts (declared once in cli.ts). */
export interface GlobalArgs {
  dt?: string | undefined;
  profile?: string | undefined;
  logLevel?: string | undefined;
  runId?: string | undefined;
  xcomPath?: string | undefined;
}

/** What a step's `run` receives: typed config, a bound logger and a signal that fires on SIGTERM. */
export interface StepContext {
  step: string;
  dt: string | undefined;
  config: Config;
  logger: Logger;
  signal: AbortSignal;
  /** The step's result document, written to S3 and the XCom file when the step ends. */
  result: ResultBuilder;
  /** Throws InterruptedError once a stop was requested; call it between units of work. */
  throwIfStopped(): void;
}

/** `<step>__<dt>__<utc time>__<random>`: sortable, unique, and readable in S3 listings. */
export function newRunId(step: string, dt: string | undefined, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${step}__${dt ?? 'all'}__${stamp}__${randomBytes(3).toString('hex')}`;
}

/**
 * Builds the context for one step run and wires SIGINT/SIGTERM (a pod being deleted) to the
 * abort signal, so the step stops between batches, flushes and exits non-zero.
 */
export function createContext(step: string, args: GlobalArgs, env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(args, env, newRunId(step, args.dt));
  const logger = createLogger(config.logLevel).child({ step, dt: args.dt, runId: config.runId });
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    logger.warn({ signal }, 'stop requested: finishing the current batch');
    controller.abort(new InterruptedError(signal));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const context: StepContext = {
    step,
    dt: args.dt,
    config,
    logger,
    signal: controller.signal,
    result: new ResultBuilder(step, config.runId, args.dt, config.profile),
    throwIfStopped() {
      if (controller.signal.aborted) throw controller.signal.reason;
    },
  };
  const dispose = () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  return { context, dispose };
}

export interface RunStepOptions {
  /** Write the result JSON to S3 and the XCom file (every pipeline step does; `doctor` does not). */
  writeResult?: boolean;
}

/**
 * Runs a step body with its context. With `writeResult`, the result JSON is written however the
 * step ends; a failure to write it never hides the step's own error.
 */
export async function runStep<T>(
  step: string,
  args: GlobalArgs,
  body: (ctx: StepContext) => Promise<T>,
  options: RunStepOptions = {},
): Promise<T> {
  const { context, dispose } = createContext(step, args);
  const { logger, config } = context;
  logger.info({ profile: config.profile }, 'step started');
  let failure: unknown;
  try {
    return await body(context);
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    dispose();
    const result = context.result.finish(failure);
    if (options.writeResult) {
      const s3 = createS3Client(config);
      try {
        const { bucket, endpoint, resultTimeoutSeconds } = config.s3;
        const where = `bucket ${bucket}${endpoint ? ` at ${endpoint}` : ''}`;
        await writeResult(result, config.xcomPath, {
          client: s3,
          bucket,
          where,
          timeoutMs: resultTimeoutSeconds * 1000,
        });
      } catch (error) {
        logger.error({ err: error, xcomPath: config.xcomPath }, 'could not write the step result');
        if (failure === undefined) throw error; // eslint-disable-line no-unsafe-finally
      } finally {
        s3.destroy();
      }
    }
    logger[failure ? 'error' : 'info'](
      { status: result.status, durationMs: result.durationMs, counts: result.counts },
      failure ? 'step failed' : 'step finished',
    );
  }
}
