import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from './config';
import { InterruptedError } from './errors';
import { createLogger, type Logger } from './logger';

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

/** Runs a step body with its context; listeners are removed however it ends. */
export async function runStep<T>(step: string, args: GlobalArgs, body: (ctx: StepContext) => Promise<T>): Promise<T> {
  const { context, dispose } = createContext(step, args);
  const started = Date.now();
  context.logger.info({ profile: context.config.profile }, 'step started');
  try {
    const result = await body(context);
    context.logger.info({ durationMs: Date.now() - started }, 'step finished');
    return result;
  } finally {
    dispose();
  }
}
