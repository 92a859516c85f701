import type { GlueApi, JobDefinition, JobRun } from '../../clients/glue';
import type { GlueSettings } from '../../clients/glue-settings';
import { InputRejectedError, ServiceError } from '../../errors';
import type { Logger } from '../../logger';
import { PACKAGE, SCRIPT, type PackagedJob } from './package';
import { ACTIVE_STATES, jobArguments, sameRequest, type TransformRequest } from './request';

/** What the aws path needs besides Glue: a way to put the script and the zip into S3. */
export interface GlueRunDeps {
  glue: GlueApi;
  upload(key: string, body: Buffer): Promise<void>;
  logger: Logger;
  signal: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface GlueOutcome {
  run: JobRun;
  /** True when a run for the same request was already going (an Airflow retry) and we waited on it. */
  attached: boolean;
  job: 'created' | 'updated' | 'unchanged';
  scriptLocation: string;
}

const TERMINAL_FAILURES = new Set(['FAILED', 'TIMEOUT', 'STOPPED', 'ERROR', 'EXPIRED']);
const RECENT_RUNS = 100;

/** The job definition for a packaged script uploaded under `s3://bucket/<prefix>/<sha256>/`. */
export function jobDefinition(settings: GlueSettings, bucket: string, pkg: PackagedJob): JobDefinition {
  const base = `s3://${bucket}/${settings.scriptsPrefix}/${pkg.sha256.slice(0, 16)}`;
  return {
    name: settings.jobName,
    role: settings.roleArn ?? '',
    scriptLocation: `${base}/${SCRIPT}`,
    glueVersion: settings.glueVersion,
    workerType: settings.workerType,
    numberOfWorkers: settings.workers,
    timeoutMinutes: settings.timeoutMinutes,
    maxConcurrentRuns: settings.maxConcurrentRuns,
    description: 'sales-pipeline: bronze order lines -> silver + quarantine (glue/jobs/clean_order_lines.py)',
    defaultArguments: {
      '--extra-py-files': `${base}/${PACKAGE}.zip`,
      '--lake_root': `s3://${bucket}`,
      // Re-runs replace partitions themselves; a bookmark would make a re-run skip its input.
      '--job-bookmark-option': 'job-bookmark-disable',
      '--enable-metrics': 'true',
      '--enable-continuous-cloudwatch-log': 'true',
      '--JOB_NAME': settings.jobName,
    },
  };
}

function differs(a: JobDefinition, b: JobDefinition): boolean {
  const args = (d: JobDefinition) => JSON.stringify(Object.entries(d.defaultArguments).sort());
  return (
    a.role !== b.role ||
    a.scriptLocation !== b.scriptLocation ||
    a.glueVersion !== b.glueVersion ||
    a.workerType !== b.workerType ||
    a.numberOfWorkers !== b.numberOfWorkers ||
    a.timeoutMinutes !== b.timeoutMinutes ||
    a.maxConcurrentRuns !== b.maxConcurrentRuns ||
    args(a) !== args(b)
  );
}

/** Creates the job, or updates it when the repo's definition changed; leaves it alone otherwise. */
export async function ensureJob(glue: GlueApi, wanted: JobDefinition): Promise<GlueOutcome['job']> {
  const current = await glue.getJob(wanted.name);
  if (!current) {
    await glue.createJob(wanted);
    return 'created';
  }
  if (!differs(current, wanted)) return 'unchanged';
  await glue.updateJob(wanted);
  return 'updated';
}

/** The most recent run of the same request that is still STARTING/RUNNING/WAITING, if any. */
export async function findActiveRun(glue: GlueApi, jobName: string, req: TransformRequest) {
  const runs = await glue.getJobRuns(jobName, RECENT_RUNS);
  const active = runs.filter((r) => ACTIVE_STATES.has(r.state) && sameRequest(r, req));
  return active.sort((a, b) => (b.startedOn?.getTime() ?? 0) - (a.startedOn?.getTime() ?? 0))[0];
}

/** Delay before poll `n` (0-based): from the initial delay, x1.5 each time, capped. */
export function pollDelayMs(n: number, initialSeconds: number, maxSeconds: number): number {
  return Math.round(Math.min(maxSeconds, initialSeconds * 1.5 ** n) * 1000);
}

/**
 * Polls a run until it ends. SUCCEEDED returns the run; any other end throws with Glue's own error
 * message: InputRejectedError (exit 1) when the job refused its input on purpose, else ServiceError.
 */
export async function waitForRun(deps: GlueRunDeps, settings: GlueSettings, runId: string): Promise<JobRun> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = deps.now ?? Date.now;
  const started = now();
  const deadline = started + (settings.timeoutMinutes + 15) * 60_000;
  let previous = '';
  for (let n = 0; ; n++) {
    if (deps.signal.aborted) throw deps.signal.reason;
    const run = await deps.glue.getJobRun(settings.jobName, runId);
    const elapsedSeconds = Math.round((now() - started) / 1000);
    if (run.state !== previous || n % 5 === 0) {
      deps.logger.info(
        { jobRunId: runId, state: run.state, elapsedSeconds, executionTime: run.executionTimeSeconds },
        'glue run',
      );
      previous = run.state;
    }
    if (run.state === 'SUCCEEDED') return run;
    if (TERMINAL_FAILURES.has(run.state)) {
      const message = `Glue job ${settings.jobName} run ${runId} ended ${run.state}: ${run.errorMessage ?? 'no error message'}`;
      const details = { jobRunId: runId, state: run.state, glueError: run.errorMessage };
      if (run.errorMessage?.includes('[input-rejected]')) throw new InputRejectedError(message, { details });
      throw new ServiceError(message, { details });
    }
    if (now() > deadline) {
      // Not stopped on purpose: a retry finds the run by its arguments and waits on it.
      throw new ServiceError(`Glue run ${runId} still ${run.state} after ${elapsedSeconds}s; giving up waiting`, {
        retriable: true,
        details: { jobRunId: runId, state: run.state },
      });
    }
    await sleep(pollDelayMs(n, settings.pollInitialSeconds, settings.pollMaxSeconds));
  }
}

/**
 * The aws profile: upload the script and package, create/update the job, then wait on the run of
 * this request that is already active (an Airflow retry) or start one.
 */
export async function runOnGlue(
  deps: GlueRunDeps,
  settings: GlueSettings,
  bucket: string,
  pkg: PackagedJob,
  req: TransformRequest,
): Promise<GlueOutcome> {
  const wanted = jobDefinition(settings, bucket, pkg);
  const folder = wanted.scriptLocation.replace(`s3://${bucket}/`, '').replace(`/${SCRIPT}`, '');
  await deps.upload(`${folder}/${SCRIPT}`, pkg.script);
  await deps.upload(`${folder}/${PACKAGE}.zip`, pkg.zip);
  const job = await ensureJob(deps.glue, wanted);
  deps.logger.info({ jobName: wanted.name, job, scriptLocation: wanted.scriptLocation }, 'glue job definition');

  const active = await findActiveRun(deps.glue, wanted.name, req);
  let runId: string;
  if (active) {
    runId = active.id;
    deps.logger.warn(
      {
        jobRunId: runId,
        state: active.state,
        startedOn: active.startedOn,
        runIdArgument: active.arguments['--run_id'],
      },
      'a run for the same dataset and dates is already active: waiting on it instead of starting another',
    );
  } else {
    runId = await deps.glue.startJobRun(wanted.name, jobArguments(req));
    deps.logger.info({ jobRunId: runId, arguments: jobArguments(req) }, 'glue run started');
  }
  const run = await waitForRun(deps, settings, runId);
  return { run, attached: Boolean(active), job, scriptLocation: wanted.scriptLocation };
}
