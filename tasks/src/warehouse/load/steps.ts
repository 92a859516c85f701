import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import type { LoadDialect, Run } from '../dialects/dialect';
import type { SilverDay } from '../silver/day';
import { DayKeys } from './keys';
import { LineEncoder } from './lines';
import type { FactCheck } from './reconcile';
import {
  bind,
  createLoadTableSql,
  dimensionSql,
  keyCheckSql,
  MEMBER_TABLES,
  memberColumnType,
  reconcileSql,
  type MemberTable,
} from './statements';
import { ensureCalendar } from './support';
import { insertRows } from './insert-peer';

/** How the day's rows reach the warehouse: COPY (the step), INSERT (the benchmark peer), COPY from S3. */
export type StageMethod = 'copy' | 'insert' | 'redshift-copy';

/** What the steps of one load share, inside its open transaction. */
export interface LoadContext {
  client: pg.PoolClient;
  s3: S3Client;
  bucket: string;
  schema: string;
  dialect: LoadDialect;
  dataset: string;
  dt: string;
  dateKey: number;
  method: StageMethod;
  runId: string;
  copyRoleArn?: string | undefined;
  day: SilverDay;
  calendarYears?: Set<number>;
  /** Runs one step and keeps its duration (ms) under `name`. */
  step: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
  throwIfStopped: () => void;
  /** Called once the day's lines are staged (a history load starts decoding the next day). */
  afterStage?: (() => void) | undefined;
  trace?: (origin: 'shared' | 'dialect', sql: string) => void;
  timings: Record<string, number>;
}

/** Lines per COPY chunk (~1 MB of text): large writes, bounded memory. */
const CHUNK = 8_192;

/**
 * The one load algorithm, the same on PostgreSQL and Redshift: in one transaction, lock, calendar,
 * COPY the day's finished fact rows into a new table, stage the day's members, upsert the
 * dimensions, check the keys, publish the new table as the date's fact rows, reconcile. Only the
 * statements of `c.dialect` differ between the two; everything else is the same text.
 */
export async function runSteps(c: LoadContext): Promise<{ check: FactCheck; calendarDaysAdded: number }> {
  const { schema: s, dialect: d } = c;
  const shared: Run = (sql, values) => {
    c.trace?.('shared', sql);
    return c.client.query(sql, values);
  };
  const own: Run = (sql, values) => {
    c.trace?.('dialect', sql);
    return c.client.query(sql, values);
  };
  const target = { ...c };
  await shared('begin');
  const lock = d.lockSql(s);
  await own(lock.text, lock.values);
  for (const sql of d.transactionSql()) await own(sql);
  const calendarDaysAdded = await c.step('calendar', () => ensureCalendar(c.client, s, c.dt, c.calendarYears));
  for (const sql of d.dropTempSql(Object.values(MEMBER_TABLES).map((m) => m.table))) await own(sql);
  for (const { table, columns } of Object.values(MEMBER_TABLES)) {
    await own(d.createTempSql(table, columns.map((col) => `${col} ${memberColumnType(col)}`).join(', ')));
  }
  await shared(createLoadTableSql(s));
  for (const sql of d.prepareLoadTableSql(s, c.dt, c.dataset)) await own(sql);

  const keys = new DayKeys(c.day.members);
  const encoder = new LineEncoder(keys, c.dataset, c.dt, c.dateKey);
  const times = { encode: 0 };
  async function* text() {
    for await (const b of c.day.batches()) {
      for (let i = 0; i < b.length; i += CHUNK) {
        const t0 = performance.now();
        const to = Math.min(b.length, i + CHUNK);
        const chunk = d.copyFormat === 'binary' ? encoder.encodeBinary(b, i, to) : encoder.encode(b, i, to);
        times.encode += performance.now() - t0;
        yield chunk;
      }
    }
  }
  const staged = await c.step('stage', () =>
    c.method === 'insert' ? insertRows(c, encoder, shared) : d.copyRows(target, text(), own),
  );
  c.timings.decode = Math.round(c.day.decodeMs);
  c.timings.encode = Math.round(times.encode);
  c.afterStage?.();
  c.throwIfStopped();

  const rows = keys.rows();
  await c.step('members', async () => {
    for (const t of Object.keys(MEMBER_TABLES) as MemberTable[]) await d.stageMembers(target, t, rows[t], own);
  });
  for (const [i, sql] of dimensionSql(s).entries()) {
    await c.step(`dimension${i}`, () => shared(sql, bind(sql, [c.dt])));
  }
  const keyCheck = await c.step('keys', () => shared(keyCheckSql(s)));
  c.throwIfStopped();
  await c.step('publish', () => d.publish(target, own, shared));
  const fact = await c.step('reconcile', () => shared(reconcileSql(s), [c.dataset, c.dt]));
  const check: FactCheck = {
    ...fact.rows[0],
    stage_rows: staged,
    stage_no_location: encoder.noLocation,
    stage_no_fulfilment: encoder.noFulfilment,
    key_mismatches: keyCheck.rows[0].key_mismatches,
  };
  return { check, calendarDaysAdded };
}
