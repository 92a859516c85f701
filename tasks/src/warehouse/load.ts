import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { GateFailedError, InputRejectedError } from '../errors';
import type { Logger } from '../logger';
import { dateKey } from './model/calendar';
import { backendCpuMs, ensureCalendar, lockSql, writeAudit, type AuditRow } from './load-support';
import { postgresSteps, redshiftSteps, type StepContext } from './load-steps';
import type { Dialect } from './model/types';
import { reconcile } from './reconcile';
import { SilverDay } from './silver/day';
import type { SilverSummary } from './silver/reader';
import { dropStageSql } from './stage-sql';
import type { StageMethod } from './stagers';
import { centsToText } from './values';

export interface LoadDeps {
  pool: pg.Pool;
  s3: S3Client;
  bucket: string;
  schema: string;
  dialect: Dialect;
  method: StageMethod;
  runId: string;
  copyRoleArn?: string | undefined;
  logger: Logger;
  signal: AbortSignal;
  /** Years whose dim_date is known complete in this run (skips a count per day). */
  calendarYears?: Set<number>;
  /** Called once a day's lines are staged: a history load starts decoding the next day. */
  afterStage?: () => void;
}

export interface LoadOutcome {
  dataset: string;
  dt: string;
  rows: number;
  amountSum: string;
  files: number;
  calendarDaysAdded: number;
  ms: number;
  /** Milliseconds per load step (decode, encode, stage, members, dimensions, fact, reconcile, commit). */
  timings: Record<string, number>;
}

/** The silver partition of a date as a load reads it (a history load opens the next one early). */
export function openDay(deps: LoadDeps, dataset: string, dt: string): SilverDay {
  const throwIfStopped = () => {
    if (deps.signal.aborted) throw deps.signal.reason;
  };
  return new SilverDay(deps.s3, deps.bucket, dataset, dt, { ordered: deps.dialect === 'redshift', throwIfStopped });
}

/**
 * Loads one silver partition: stage, upsert dimensions, replace the fact partition, reconcile,
 * audit, all in one transaction. Anything that fails, a reconciliation difference or a stop
 * request rolls everything back, leaving the previous state of the partition; the failure is
 * then recorded in load_audit on its own.
 * @throws InputRejectedError (bad silver), GateFailedError (reconciliation), InterruptedError.
 */
export async function loadDate(
  deps: LoadDeps,
  dataset: string,
  dt: string,
  day: SilverDay = openDay(deps, dataset, dt),
): Promise<LoadOutcome> {
  const { pool, schema: s, dialect: d, logger } = deps;
  const started = new Date();
  const throwIfStopped = () => {
    if (deps.signal.aborted) throw deps.signal.reason;
  };
  const summary: SilverSummary = day.summary;
  const audit: Partial<AuditRow> = {};
  const timings: Record<string, number> = {};
  const client = await pool.connect();
  const pid = await backendPid(client, d);
  /** Runs one step of the load and keeps its duration (ms) for the log and the benchmark. */
  // The benchmark's profile: CPU of the server process behind this connection, per step.
  const serverCpu = process.env.WAREHOUSE_LOAD_PROFILE ? () => backendCpuMs(pid) : undefined;
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const c0 = serverCpu?.();
    const out = await fn();
    timings[name] = (timings[name] ?? 0) + Date.now() - t0;
    if (c0 !== undefined) timings[`${name}ServerCpu`] = (timings[`${name}ServerCpu`] ?? 0) + serverCpu!()! - c0;
    return out;
  };
  const onAbort = () => void pool.query('select pg_cancel_backend($1)', [pid]).catch(() => undefined);
  // A stop request cancels the statement in flight, so the rollback follows at once.
  deps.signal.addEventListener('abort', onAbort, { once: true });
  try {
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
    await client.query('begin');
    const lock = lockSql(d, s);
    await client.query(lock.text, lock.values);
    const calendarDaysAdded = await step('calendar', () => ensureCalendar(client, s, dt, deps.calendarYears));
    const ctx: StepContext = {
      client,
      s3: deps.s3,
      bucket: deps.bucket,
      schema: s,
      dataset,
      dt,
      dateKey: dateKey(dt),
      method: deps.method,
      runId: deps.runId,
      copyRoleArn: deps.copyRoleArn,
      day,
      partition,
      step,
      throwIfStopped,
      afterStage: deps.afterStage,
      timings,
    };
    const check = d === 'postgres' ? await postgresSteps(ctx) : await redshiftSteps(ctx);
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
    throwIfStopped();
    await writeAudit(client, s, auditRow(deps, dataset, dt, started, summary, audit, 'succeeded', null));
    for (const sql of dropStageSql(d)) await client.query(sql);
    await step('commit', () => client.query('commit'));
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
    await client.query('rollback').catch(() => undefined);
    const failure = deps.signal.aborted ? deps.signal.reason : error;
    const message = failure instanceof Error ? failure.message : String(failure);
    await writeAudit(pool, s, auditRow(deps, dataset, dt, started, summary, audit, 'failed', message)).catch((e) =>
      logger.warn({ err: e }, 'could not record the failed load in load_audit'),
    );
    throw failure;
  } finally {
    deps.signal.removeEventListener('abort', onAbort);
    client.release();
  }
}

const backends = new WeakMap<pg.PoolClient, number>();
/**
 * The server process of a pooled connection, asked once per connection; a new PostgreSQL
 * connection first gets room for the staged day in memory (settable only before its first
 * temporary table).
 */
async function backendPid(client: pg.PoolClient, d: Dialect): Promise<number> {
  let pid = backends.get(client);
  if (pid === undefined) {
    if (d === 'postgres') await client.query("set temp_buffers = '256MB'").catch(() => undefined);
    pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    backends.set(client, pid);
  }
  return pid;
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
