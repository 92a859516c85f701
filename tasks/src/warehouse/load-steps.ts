import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { partitionName, partitionSql } from './load-support';
import { bind, dimensionSql, factSql, reconcileSql } from './merge-sql';
import { postgresDimensionSql, postgresFactSql, postgresReconcileSql, stageTablesSql } from './merge-postgres';
import type { FactCheck } from './reconcile';
import type { SilverDay } from './silver/day';
import type { SilverPartition } from './silver/source';
import { createStageSql, dropStageSql, PROMO_SETS, promotionSetsSql, STAGE } from './stage-sql';
import { copyStage, insertStage, stageMembers } from './stage-postgres';
import { stageByRedshiftCopy, type StageMethod } from './stagers';

/** What the dialect-specific half of a load needs, inside the open transaction. */
export interface StepContext {
  client: pg.PoolClient;
  s3: S3Client;
  bucket: string;
  schema: string;
  dataset: string;
  dt: string;
  dateKey: number;
  method: StageMethod;
  runId: string;
  copyRoleArn?: string | undefined;
  day: SilverDay;
  partition: SilverPartition;
  /** Runs one step and keeps its duration (ms) under `name`. */
  step: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
  throwIfStopped: () => void;
  /** Called once the day's lines are staged (a history load starts decoding the next day). */
  afterStage?: (() => void) | undefined;
  timings: Record<string, number>;
}

/**
 * PostgreSQL: stage the day as numbered members (stage-postgres.ts), upsert the dimensions from
 * the members, replace the fact rows straight in the month's partition, and reconcile.
 */
export async function postgresSteps(c: StepContext): Promise<FactCheck> {
  const { client, schema: s, dt } = c;
  // One round trip for the statements without parameters. Work memory for the sort of the day's
  // lines and the hash joins. No JIT: compiling the expressions of these short statements takes
  // longer (~0.2-0.3 s each) than running them.
  await client.query(
    [partitionSql(s, dt), ...stageTablesSql(), "set local work_mem = '256MB'", 'set local jit = off'].join(';\n'),
  );
  const times = { encodeMs: 0 };
  await c.step('stage', () =>
    c.method === 'insert' ? insertStage(client, c.day.batches()) : copyStage(client, c.day.batches(), times),
  );
  c.timings.decode = Math.round(c.day.decodeMs);
  c.timings.encode = Math.round(times.encodeMs);
  c.afterStage?.();
  await c.step('members', () => stageMembers(client, c.day.members));
  c.throwIfStopped();
  for (const [i, sql] of postgresDimensionSql(s).entries())
    await c.step(`dimension${i}`, () => client.query(sql, bind(sql, [dt])));
  c.throwIfStopped();
  const params = [c.dataset, dt, c.dateKey];
  // The fact insert joins the stage (no statistics: analysing it costs more than it saves) to a few
  // hundred members: hashing the members is all it takes, where the planner, guessing, may pick
  // nested loops (minutes) or sort the day's lines for a merge join. Other statements plan freely.
  const [remove, insert] = postgresFactSql(s, partitionName(dt));
  await c.step('fact0', () => client.query(remove!, bind(remove!, params)));
  await client.query('set local enable_nestloop = off; set local enable_mergejoin = off');
  await c.step('fact1', () => client.query(insert!, bind(insert!, params)));
  await client.query('set local enable_nestloop = on; set local enable_mergejoin = on');
  const reconcile = postgresReconcileSql(s);
  return c.step('reconcile', async () => (await client.query<FactCheck>(reconcile, params.slice(0, 2))).rows[0]!);
}

/** Redshift: COPY the Parquet from S3 by manifest, then the shared merge (merge-sql.ts). */
export async function redshiftSteps(c: StepContext): Promise<FactCheck> {
  const { client, schema: s, dt } = c;
  for (const sql of dropStageSql('redshift')) await client.query(sql);
  for (const sql of createStageSql()) await client.query(sql);
  await c.step('stage', () => stageByRedshiftCopy(c, c.runId, c.copyRoleArn));
  c.afterStage?.();
  c.throwIfStopped();
  await c.step('analyze', () => client.query(`analyze ${STAGE}`));
  for (const sql of promotionSetsSql()) await c.step('promotionSets', () => client.query(sql));
  await c.step('analyze', () => client.query(`analyze ${PROMO_SETS}`));
  for (const [i, sql] of dimensionSql(s).entries())
    await c.step(`dimension${i}`, () => client.query(sql, bind(sql, [dt])));
  c.throwIfStopped();
  const params = [c.dataset, dt, c.dateKey];
  for (const [i, sql] of factSql(s).entries()) await c.step(`fact${i}`, () => client.query(sql, bind(sql, params)));
  return c.step('reconcile', async () => (await client.query<FactCheck>(reconcileSql(s), params.slice(0, 2))).rows[0]!);
}
