import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { calendarYear, type CalendarDay } from '../model/calendar';
import { dimDate, loadAudit } from '../model/tables';

/**
 * Makes dim_date hold every day of the year of `dt` (a full calendar, not only days with sales).
 * Missing days are inserted with bound parameters; years already complete cost one count, or
 * nothing when `known` (years this run already committed complete) holds the year.
 */
export async function ensureCalendar(
  client: pg.PoolClient,
  schema: string,
  dt: string,
  known?: Set<number>,
): Promise<number> {
  const year = Number(dt.slice(0, 4));
  if (known?.has(year)) return 0;
  const days = calendarYear(year);
  const { rows } = await client.query<{ n: string }>(
    `select count(*) as n from ${schema}.dim_date where date_key between $1 and $2`,
    [year * 10000 + 101, year * 10000 + 1231],
  );
  if (Number(rows[0]!.n) === days.length) return 0;
  const existing = await client.query<{ date_key: number }>(
    `select date_key from ${schema}.dim_date where date_key between $1 and $2`,
    [year * 10000 + 101, year * 10000 + 1231],
  );
  const have = new Set(existing.rows.map((r) => Number(r.date_key)));
  const missing = days.filter((d) => !have.has(d.date_key));
  const cols = dimDate.columns.map((c) => c.name) as (keyof CalendarDay)[];
  for (let i = 0; i < missing.length; i += 500) {
    const batch = missing.slice(i, i + 500);
    const tuples = batch.map((_, r) => `(${cols.map((_c, k) => `$${r * cols.length + k + 1}`).join(', ')})`);
    await client.query(
      `insert into ${schema}.dim_date (${cols.join(', ')}) values ${tuples.join(', ')}`,
      batch.flatMap((day) => cols.map((c) => day[c])),
    );
  }
  return missing.length;
}

/** One load_audit row. */
export interface AuditRow {
  run_id: string;
  dataset: string;
  dt: string;
  status: 'succeeded' | 'failed';
  stage_method: string;
  silver_files: number;
  manifest_rows: number | null;
  parquet_rows: number | null;
  fact_rows: number | null;
  manifest_amount_sum: string | null;
  parquet_amount_sum: string | null;
  fact_amount_sum: string | null;
  fact_realised_sum: string | null;
  started_at: Date;
  finished_at: Date;
  message: string | null;
}

/** Inserts an audit row with bound parameters. */
export async function writeAudit(client: Pick<pg.Pool, 'query'>, schema: string, row: AuditRow): Promise<void> {
  const cols = loadAudit.columns.map((c) => c.name) as (keyof AuditRow)[];
  await client.query(
    `insert into ${schema}.load_audit (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
    cols.map((c) => row[c]),
  );
}

/**
 * CPU milliseconds (user + system) a local server process has used, from /proc/<pid>/stat: the
 * benchmark's split of time between this process and PostgreSQL (WAREHOUSE_LOAD_PROFILE=1, local
 * stack only). 0 when the process cannot be seen (another host, another OS).
 */
export function backendCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of the file, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}
