import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { GateFailedError, InputRejectedError, PipelineError, ServiceError } from '../../errors';
import type { Logger } from '../../logger';
import { dateKey } from '../model/calendar';
import type { LoadDialect } from '../dialects/dialect';
import { SilverDay } from '../silver/day';
import type { SilverSummary } from '../silver/reader';
import { centsToText } from '../values';
import { runSteps, type LoadContext, type StageMethod } from './steps';
import { reconcile } from './reconcile';
import { backendCpuMs, writeAudit, type AuditRow } from './support';

export interface LoadDeps {
  pool: pg.Pool;
  s3: S3Client;
  bucket: string;
  schema: string;
  dialect: LoadDialect;
  method: StageMethod;
  runId: string;
  copyRoleArn?: string | undefined;
  logger: Logger;
  signal: AbortSignal;
  /** Years whose dim_date is known complete in this run (skips a count per day). */
  calendarYears?: Set<number>;
  /** Called once a day's lines are staged: a history load starts decoding the next day. */
  afterStage?: () => void;
  /** Sees every statement sent, and whether the dialect module or the shared algorithm sent it. */
  trace?: (origin: 'shared' | 'dialect', sql: string) => void;
}

export interface LoadOutcome {
  dataset: string;
  dt: string;
  rows: number;
  amountSum: string;
  files: number;
  calendarDaysAdded: number;
  ms: number;
  /** Milliseconds per load step (decode, encode, stage, members, dimensions, publish, reconcile, commit). */
  timings: Record<string, number>;
}

/**
 * The silver partition of a date as a load reads it (a history load opens the next one early). A
 * stop request also aborts its S3 reads in flight: a COPY waiting on a read that never returns
 * would otherwise never reach the rollback.
 */
export function openDay(deps: LoadDeps, dataset: string, dt: string): SilverDay {
  const throwIfStopped = () => {
    if (deps.signal.aborted) throw deps.signal.reason;
  };
  return new SilverDay(deps.s3, deps.bucket, dataset, dt, { throwIfStopped, signal: deps.signal });
}

/** Connections already given their session settings (once per connection). */
const prepared = new WeakMap<pg.PoolClient, number>();

/**
 * Loads one silver partition with the one algorithm of both dialects (steps.ts): stage, upsert
 * dimensions, replace the fact rows of the date, reconcile, audit, all in one transaction.
 * Anything that fails, a reconciliation difference or a stop request rolls everything back,
 * leaving the previous state; the failure is then recorded in load_audit on its own. A lost
 * connection (the server stopped or was restarted) is a ServiceError: exit 3, retried.
 * @throws InputRejectedError (bad silver), GateFailedError (reconciliation), InterruptedError, ServiceError.
 */
export async function loadDate(
  deps: LoadDeps,
  dataset: string,
  dt: string,
  day: SilverDay = openDay(deps, dataset, dt),
): Promise<LoadOutcome> {
  const { pool, schema: s, logger } = deps;
  const started = new Date();
  const summary: SilverSummary = day.summary;
  const audit: Partial<AuditRow> = {};
  const timings: Record<string, number> = {};
  let client: pg.PoolClient | undefined;
  let broken: Error | undefined;
  let onAbort: (() => void) | undefined;
  // An error the connection reports between statements (the server went away) breaks it.
  const onError = (e: Error) => (broken ??= e);
  try {
    client = await pool.connect();
    const c = client;
    c.on('error', onError);
    const pid = await prepareConnection(c, deps);
    // The benchmark's profile: CPU of the server process behind this connection, per step.
    const serverCpu = process.env.WAREHOUSE_LOAD_PROFILE ? () => backendCpuMs(pid) : undefined;
    const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      const t0 = Date.now();
      const c0 = serverCpu?.();
      const out = await fn();
      timings[name] = (timings[name] ?? 0) + Date.now() - t0;
      if (c0 !== undefined) timings[`${name}ServerCpu`] = (timings[`${name}ServerCpu`] ?? 0) + serverCpu!() - c0;
      return out;
    };
    // A stop request cancels the statement in flight, so the rollback follows at once.
    onAbort = () => void pool.query('select pg_cancel_backend($1)', [pid]).catch(() => undefined);
    deps.signal.addEventListener('abort', onAbort, { once: true });
    const partition = await day.partition();
    Object.assign(audit, {
      manifest_rows: partition.manifest.silver_rows,
      manifest_amount_sum: String(partition.manifest.silver_amount_sum),
    });
    // A day without a silver row is never recorded as loaded (checkSilverDays names its cause first).
    if (partition.manifest.silver_rows === 0) {
      throw new InputRejectedError(`silver of ${dataset} ${dt} has 0 rows: nothing to load`, {
        details: { dataset, dt },
      });
    }
    const ctx: LoadContext = {
      ...deps,
      client: c,
      dataset,
      dt,
      dateKey: dateKey(dt),
      day,
      step,
      timings,
      throwIfStopped: () => {
        if (deps.signal.aborted) throw deps.signal.reason;
      },
    };
    const { check, calendarDaysAdded } = await runSteps(ctx);
    Object.assign(audit, {
      parquet_rows: summary.rows,
      parquet_amount_sum: centsToText(summary.amountCents),
      fact_rows: Number(check.fact_rows),
      fact_amount_sum: check.amount_sum,
      fact_realised_sum: check.realised_sum,
    });
    const diffs = reconcile(partition.manifest, summary, check);
    if (diffs.length) {
      throw new GateFailedError(
        `warehouse load of ${dataset} ${dt} does not reconcile with silver: ${diffs.join('; ')}`,
        {
          details: { dataset, dt, differences: diffs },
        },
      );
    }
    ctx.throwIfStopped();
    await writeAudit(c, s, auditRow(deps, dataset, dt, started, summary, audit, 'succeeded', null));
    for (const sql of deps.dialect.dropTempSql(TEMPS)) await c.query(sql);
    await step('commit', () => c.query('commit'));
    deps.calendarYears?.add(Number(dt.slice(0, 4)));
    const outcome = {
      dataset,
      dt,
      rows: summary.rows,
      amountSum: centsToText(summary.amountCents),
      files: summary.files,
      calendarDaysAdded,
      ms: Date.now() - started.getTime(),
      timings,
    };
    logger.info(outcome, 'partition loaded');
    return outcome;
  } catch (error) {
    if (client && !broken) await client.query('rollback').catch((e: Error) => (broken = e));
    const failure = describe(deps.signal.aborted ? deps.signal.reason : error, broken, dataset, dt);
    const message = failure instanceof Error ? failure.message : String(failure);
    await writeAudit(pool, s, auditRow(deps, dataset, dt, started, summary, audit, 'failed', message)).catch((e) =>
      logger.warn({ err: e }, 'could not record the failed load in load_audit'),
    );
    throw failure;
  } finally {
    if (onAbort) deps.signal.removeEventListener('abort', onAbort);
    // A broken connection is destroyed, never handed to the next load.
    client?.removeListener('error', onError);
    client?.release(broken);
  }
}

/** The member temporary tables, dropped after a load where the dialect keeps them (Redshift). */
export const TEMPS = [
  'stage_products',
  'stage_locations',
  'stage_fulfilments',
  'stage_statuses',
  'stage_promotions',
  'stage_promotion_groups',
];

/**
 * The server process of a pooled connection, asked once per connection, after the dialect's
 * session settings (a failed setting fails the load: it is never silently skipped).
 */
async function prepareConnection(client: pg.PoolClient, deps: LoadDeps): Promise<number> {
  let pid = prepared.get(client);
  if (pid === undefined) {
    for (const sql of deps.dialect.sessionSql()) {
      deps.trace?.('dialect', sql);
      await client.query(sql);
    }
    pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    prepared.set(client, pid);
  }
  return pid;
}

/** A connection that died under the load (the server stopped, restarted or cut it): exit 3, retried. */
function describe(error: unknown, broken: Error | undefined, dataset: string, dt: string): unknown {
  if (error instanceof PipelineError) return error;
  const code = (error as { code?: string } | undefined)?.code ?? '';
  const lost =
    broken !== undefined ||
    /^(57P0[1-3]|08)/.test(code) ||
    /Connection terminated|ECONNRESET|ECONNREFUSED|server closed the connection/i.test(String(error));
  if (!lost) return error;
  const why = error instanceof Error ? error.message : String(error);
  return new ServiceError(`warehouse connection lost while loading ${dataset} ${dt}: ${why} (nothing was committed)`, {
    cause: error,
    retriable: true,
    details: { dataset, dt, code },
  });
}

function auditRow(
  deps: LoadDeps,
  dataset: string,
  dt: string,
  started: Date,
  summary: SilverSummary,
  audit: Partial<AuditRow>,
  status: AuditRow['status'],
  message: string | null,
): AuditRow {
  return {
    run_id: deps.runId,
    dataset,
    dt,
    status,
    stage_method: deps.method,
    silver_files: summary.files,
    manifest_rows: audit.manifest_rows ?? null,
    parquet_rows: audit.parquet_rows ?? null,
    fact_rows: audit.fact_rows ?? null,
    manifest_amount_sum: audit.manifest_amount_sum ?? null,
    parquet_amount_sum: audit.parquet_amount_sum ?? null,
    fact_amount_sum: audit.fact_amount_sum ?? null,
    fact_realised_sum: audit.fact_realised_sum ?? null,
    started_at: started,
    finished_at: new Date(),
    message: message?.slice(0, 1024) ?? null,
  };
}
