import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { batchValues, encodeBatch, POSTGRES_STAGE_COLUMNS } from './copy-text';
import { MEMBER_TABLES, PG_STAGE } from './merge-postgres';
import type { DayMembers, StagedBatch } from './silver/reader';

/** Lines per COPY chunk (~0.5 MB of text): large writes, bounded memory. */
const CHUNK = 8_192;

/** Milliseconds spent encoding COPY text, for the load's timings. */
export interface StageTimes {
  encodeMs: number;
}

/**
 * local profile: streams the staged lines into `COPY stage_order_lines FROM STDIN` (text format)
 * as they are decoded. A bad row or a stop request ends the generator with an error, and
 * pipeline() aborts the COPY with it.
 */
export async function copyStage(client: pg.PoolClient, batches: AsyncIterable<StagedBatch>, t: StageTimes) {
  const sink = client.query(copyFrom(`copy ${PG_STAGE} (${POSTGRES_STAGE_COLUMNS.join(', ')}) from stdin`));
  async function* text() {
    for await (const b of batches) {
      for (let i = 0; i < b.length; i += CHUNK) {
        const t0 = performance.now();
        const chunk = encodeBatch(b, i, Math.min(b.length, i + CHUNK));
        t.encodeMs += performance.now() - t0;
        yield chunk;
      }
    }
  }
  await pipeline(Readable.from(text()), sink);
}

/**
 * The day's members (a few hundred rows per dimension) in one statement and one round trip: each
 * member table is filled from array parameters, one array per column.
 */
export async function stageMembers(client: pg.PoolClient, m: DayMembers): Promise<void> {
  const parts: string[] = [];
  const values: unknown[] = [];
  for (const k of Object.keys(MEMBER_TABLES) as (keyof typeof MEMBER_TABLES)[]) {
    const { table, columns } = MEMBER_TABLES[k];
    const rows = m[k].rows();
    if (!rows.length) continue;
    const arrays = [rows.map((r) => Number(r[0])), ...columns.map((_, j) => rows.map((r) => r[j + 1]!))];
    const first = values.length + 1;
    values.push(...arrays);
    // A promotion list travels as its array literal text, cast back to text[] here.
    const cast = k === 'promotions' ? '::text[]' : '';
    const unnest = arrays.map((_, j) => `$${first + j}::${j ? 'text' : 'int'}[]`).join(', ');
    parts.push(
      `${table}_ as (insert into ${table} (member, ${columns.join(', ')}) ` +
        `select member, ${columns.map((c) => `${c}${cast}`).join(', ')} ` +
        `from unnest(${unnest}) as u (member, ${columns.join(', ')}))`,
    );
  }
  if (parts.length) await client.query(`with ${parts.join(', ')} select 1`, values);
}

/**
 * The benchmark peer: the same stage filled with multi-row INSERT statements with bound
 * parameters (1,000 lines a statement), the usual way to load without COPY.
 */
export async function insertStage(client: pg.PoolClient, batches: AsyncIterable<StagedBatch>): Promise<void> {
  const cols = POSTGRES_STAGE_COLUMNS;
  const per = 1_000;
  const sql = (n: number) =>
    `insert into ${PG_STAGE} (${cols.join(', ')}) values ` +
    Array.from({ length: n }, (_, r) => `(${cols.map((_c, k) => `$${r * cols.length + k + 1}`).join(', ')})`).join(
      ', ',
    );
  const full = sql(per);
  for await (const b of batches) {
    for (let i = 0; i < b.length; i += per) {
      const n = Math.min(per, b.length - i);
      const values: (string | null)[] = [];
      for (let r = i; r < i + n; r++) values.push(...batchValues(b, r));
      await client.query(n === per ? full : sql(n), values);
    }
  }
}
