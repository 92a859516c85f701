import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { dateKey, monthBounds } from '../model/calendar';
import { BINARY_HEADER, BINARY_TRAILER } from '../load/copy-binary';
import { BINARY_COLUMNS, DAY_COLUMNS, FACT_COLUMNS } from '../load/lines';
import { CopyTextWriter } from '../load/copy-text';
import { bind, LOAD_TABLE, MEMBER_TABLES, replaceFactSql } from '../load/statements';
import { factOrderLines } from '../model/tables';
import type { LoadDialect } from './dialect';

/** The day after an ISO date. */
function nextDay(dt: string): string {
  return new Date(Date.parse(`${dt}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The day's columns (DAY_COLUMNS) and their values as SQL literals (DDL takes no parameters). */
function dayDefaults(dt: string, dataset: string): [string, string][] {
  const values: Record<string, string> = {
    dataset: `'${dataset.replace(/'/g, "''")}'`,
    dt: `date '${dt}'`,
    date_key: String(dateKey(dt)),
  };
  return DAY_COLUMNS.map((c) => [c, values[c]!]);
}

/** The fact's partition of one day (all datasets of that day). */
export function dayPartition(dt: string): string {
  return `fact_order_lines_d${dt.replace(/-/g, '')}`;
}

/**
 * PostgreSQL 15 (the local profile). The day's rows go into a new table that holds one day of the
 * fact: COPY with no index to maintain, then its index is built in one pass (the fact declares
 * no primary key: the loader checks the key, silver/key-order.ts), and the table replaces the
 * day's partition (DETACH, ATTACH) inside the transaction. A CHECK constraint equal to the
 * partition bound spares ATTACH its scan. A warehouse whose month already has a month-wide
 * partition (loaded before day partitions) is replaced row-wise instead, by the same statements
 * Redshift runs.
 */
export const postgres: LoadDialect = {
  name: 'postgres',
  // Binary tuples: the server parses no text (numeric, dates, integers), a third less of its CPU.
  copyFormat: 'binary',
  sessionSql: () => [
    // A load whose client died (SIGKILL, lost network) stops within a second instead of running
    // on; no statement of a load runs for half an hour.
    "set client_connection_check_interval = '1s'",
    "set statement_timeout = '30min'",
  ],
  lockSql: (schema) => ({
    text: 'select pg_advisory_xact_lock(hashtext($1))',
    values: [`sales-pipeline:warehouse-load:${schema}`],
  }),
  // Memory for building the day's indexes; no JIT: compiling these short statements costs more
  // than running them.
  transactionSql: () => [
    "set local maintenance_work_mem = '256MB'",
    "set local work_mem = '64MB'",
    'set local jit = off',
  ],
  createTempSql: (table, columns) => `create temp table if not exists ${table} (${columns}) on commit delete rows`,
  dropTempSql: () => [],
  prepareLoadTableSql: (s, dt, dataset) => [
    // Literal bounds: DDL takes no parameters; dt was validated as YYYY-MM-DD.
    `alter table ${s}.${LOAD_TABLE} add constraint ${LOAD_TABLE}_dt check (dt >= date '${dt}' and dt < date '${nextDay(dt)}')`,
    // The day's columns come from defaults, not from every binary tuple (lines.ts BINARY_COLUMNS).
    `alter table ${s}.${LOAD_TABLE} ${dayDefaults(dt, dataset)
      .map(([column, value]) => `alter column ${column} set default ${value}`)
      .join(', ')}`,
  ],
  async copyRows(t, rows) {
    // FREEZE: the table is new in this transaction, so its rows need no later visibility pass.
    const sql = `copy ${t.schema}.${LOAD_TABLE} (${BINARY_COLUMNS.join(', ')}) from stdin with (format binary, freeze)`;
    t.trace?.('dialect', sql);
    const sink = t.client.query(copyFrom(sql));
    async function* framed() {
      yield BINARY_HEADER;
      yield* rows;
      yield BINARY_TRAILER;
    }
    // One chunk read ahead (Readable.from's default is 16): when the server is the slower side,
    // finished tuples wait in the socket, not in ~25 MB of queued chunks.
    await pipeline(Readable.from(framed(), { highWaterMark: 1 }), sink);
    // The server's count, from the COPY's command tag.
    return Number(sink.rowCount);
  },
  async stageMembers(t, member, rows) {
    if (rows.length === 0) return;
    // COPY text: a day's thousands of members cost the server a scan of their text, where a
    // multi-row INSERT of 30,000 parameters is parsed and planned first (a history load spent most
    // of its per-day time there).
    const { table, columns } = MEMBER_TABLES[member];
    const w = new CopyTextWriter(Math.max(1 << 12, rows.length * 96));
    for (const row of rows) for (let k = 0; k < row.length; k++) w.text(row[k] ?? null).sep(k === row.length - 1);
    const sql = `copy ${table} (${columns.join(', ')}) from stdin`;
    t.trace?.('dialect', sql);
    await pipeline(Readable.from([w.take()]), t.client.query(copyFrom(sql)));
  },
  async publish(t, run, shared) {
    const s = t.schema;
    const leaf = dayPartition(t.dt);
    const found = await run('select to_regclass($1) is not null as month, to_regclass($2) is not null as day', [
      `${s}.fact_order_lines_p${monthBounds(t.dt).suffix}`,
      `${s}.${leaf}`,
    ]);
    const { month, day } = found.rows[0] as { month: boolean; day: boolean };
    if (month) {
      for (const sql of replaceFactSql(s)) await shared(sql, bind(sql, [t.dataset, t.dt]));
      return;
    }
    const cols = FACT_COLUMNS.join(', ');
    // Other datasets of the same day stay: copied over (usually none; a scan of the day's old
    // partition when the day is loaded again).
    await run(
      `insert into ${s}.${LOAD_TABLE} (${cols}) select ${cols} from ${s}.fact_order_lines
       where dt = $1::date and (dataset < $2 or dataset > $2)`,
      [t.dt, t.dataset],
    );
    const gen = Date.now().toString(36);
    const ddl = [
      // Statistics for the reconciliation that follows: without them the planner takes the new
      // partition for a few rows and hashes all of them (seconds at 1M rows, instead of a scan).
      // A sample of 3,000 rows instead of 30,000 (15 ms against 135 at 1M rows): dataset and dt
      // hold one value each, and the plan only needs to know the day is large. Autovacuum's
      // analyze later gives the analysis queries full statistics.
      'set local default_statistics_target = 10',
      `analyze ${s}.${LOAD_TABLE} (dataset, dt, promotion_group_key)`,
      'set local default_statistics_target to default',
      // No primary key: the loader checked the key as silver was read (silver/key-order.ts).
      ...factOrderLines.postgres.indexes.map(
        (ix) =>
          `create ${ix.unique ? 'unique ' : ''}index ${ix.name.replace('fact_order_lines', leaf)}_${gen} ` +
          `on ${s}.${LOAD_TABLE} (${ix.columns.join(', ')})`,
      ),
      // The partition keeps no defaults of its own.
      `alter table ${s}.${LOAD_TABLE} ${DAY_COLUMNS.map((c) => `alter column ${c} drop default`).join(', ')}`,
      ...(day ? [`alter table ${s}.fact_order_lines detach partition ${s}.${leaf}`, `drop table ${s}.${leaf}`] : []),
      `alter table ${s}.${LOAD_TABLE} rename to ${leaf}`,
      `alter table ${s}.fact_order_lines attach partition ${s}.${leaf} for values from ('${t.dt}') to ('${nextDay(t.dt)}')`,
    ];
    // Statements without parameters: one round trip.
    await run(ddl.join(';\n'));
  },
};
