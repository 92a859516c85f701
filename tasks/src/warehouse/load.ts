import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { GateFailedError } from '../errors';
import type { Logger } from '../logger';
import { dateKey } from './calendar';
import { ensureCalendar, lockSql, partitionSql, writeAudit, type AuditRow } from './load-support';
import { bind, dimensionSql, factSql, reconcileSql } from './merge-sql';
import type { Dialect } from './model-types';
import { reconcile, type FactCheck } from './reconcile';
import { emptySummary, type SilverSummary } from './silver-reader';
import { findSilverPartition } from './silver-source';
import { createStageSql, dropStageSql, PROMO_SETS, promotionSetsSql, STAGE } from './stage-sql';
import { stageByCopy, stageByInsert, stageByRedshiftCopy, type StageContext, type StageMethod } from './stagers';
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
}

export interface LoadOutcome {
  dataset: string;
  dt: string;
  rows: number;
  amountSum: string;
  files: number;
  calendarDaysAdded: number;
  ms: number;
  /** Milliseconds per load step (stage, dimensions, fact, reconcile). */
  timings: Record<string, number>;
}

/**
 * Loads one silver partition: stage, upsert dimensions, replace the fact partition, reconcile,
 * audit, all in one transaction. Anything that fails, a reconciliation difference or a stop
 * request rolls everything back, leaving the previous state of the partition; the failure is
 * then recorded in load_audit on its own.
 * @throws InputRejectedError (bad silver), GateFailedError (reconciliation), InterruptedError.
 */
export async function loadDate(deps: LoadDeps, dataset: string, dt: string): Promise<LoadOutcome> {
  const { pool, schema: s, dialect: d, logger } = deps;
  const started = new Date();
  const throwIfStopped = () => {
    if (deps.signal.aborted) throw deps.signal.reason;
  };
  const summary: SilverSummary = emptySummary();
  const audit: Partial<AuditRow> = {};
  const timings: Record<string, number> = {};
  const client = await pool.connect();
  /** Runs one step of the load and keeps its duration (ms) for the log and the benchmark. */
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const out = await fn();
    timings[name] = (timings[name] ?? 0) + Date.now() - t0;
    return out;
  };
  // Room for the staged day in memory (allowed only before the session's first temporary table).
  if (d === 'postgres') await client.query("set temp_buffers = '256MB'").catch(() => undefined);
  // A stop request cancels the statement in flight, so the rollback follows at once.
  const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  const onAbort = () => void pool.query('select pg_cancel_backend($1)', [pid]).catch(() => undefined);
  deps.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const partition = await findSilverPartition(deps.s3, deps.bucket, dataset, dt);
    Object.assign(audit, {
      manifest_rows: partition.manifest.silver_rows,
      manifest_amount_sum: String(partition.manifest.silver_amount_sum),
    });
    await client.query('begin');
    const lock = lockSql(d, s);
    await client.query(lock.text, lock.values);
    const calendarDaysAdded = await step('calendar', () => ensureCalendar(client, s, dt));
    if (d === 'postgres') await client.query(partitionSql(s, dt));
    for (const sql of dropStageSql(d)) await client.query(sql);
    for (const sql of createStageSql(d)) await client.query(sql);
    const ctx: StageContext = { client, s3: deps.s3, bucket: deps.bucket, partition, summary, throwIfStopped };
    await step('stage', async () => {
      if (deps.method === 'copy') await stageByCopy(ctx);
      else if (deps.method === 'insert') await stageByInsert(ctx);
      else await stageByRedshiftCopy(ctx, deps.runId, deps.copyRoleArn);
    });
    throwIfStopped();
    if (d === 'postgres') {
      // Every statement below is set-oriented over tables this transaction is changing, whose
      // statistics are stale by construction (a new schema's dimensions look empty): a nested loop
      // chosen on such estimates can take minutes where a hash join takes a second.
      await client.query('set local enable_nestloop = off');
      // Fresh temporary tables have no statistics at all; a small sample is enough.
      await client.query('set local default_statistics_target = 10');
    }
    await step('analyze', () => client.query(`analyze ${STAGE}`));
    const params = [dataset, dt, dateKey(dt)];
    for (const sql of promotionSetsSql(d)) await step('promotionSets', () => client.query(sql));
    await step('analyze', () => client.query(`analyze ${PROMO_SETS}`));
    for (const [i, sql] of dimensionSql(d, s).entries())
      await step(`dimension${i}`, () => client.query(sql, bind(sql, [dt])));
    throwIfStopped();
    for (const [i, sql] of factSql(d, s).entries()) await step(`fact${i}`, () => client.query(sql, bind(sql, params)));
    const check = await step(
      'reconcile',
      async () => (await client.query<FactCheck>(reconcileSql(s), params.slice(0, 2))).rows[0]!,
    );
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
    await client.query('commit');
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
