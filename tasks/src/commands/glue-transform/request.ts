import type { JobRun } from '../../clients/glue';

/** One transform request: a dataset and a date range, run under one run id. */
export interface TransformRequest {
  dataset: string;
  dt: string;
  to: string;
  runId: string;
}

/** Every date from `from` to `to`, inclusive, as YYYY-MM-DD. */
export function datesOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) {
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

/** The job script's arguments for a request (Glue style: `--name value`). */
export function jobArguments(req: TransformRequest): Record<string, string> {
  return { '--dataset': req.dataset, '--dt': req.dt, '--to': req.to, '--run_id': req.runId };
}

/** Glue states in which a run may still write: a retry must wait on such a run, not start another. */
export const ACTIVE_STATES: ReadonlySet<string> = new Set(['STARTING', 'RUNNING', 'WAITING']);

/** True when a run was started for the same (dataset, dt range), whatever its run id. */
export function sameRequest(run: JobRun, req: TransformRequest): boolean {
  const a = run.arguments;
  return a['--dataset'] === req.dataset && a['--dt'] === req.dt && a['--to'] === req.to;
}
