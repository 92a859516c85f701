import path from 'node:path';
import type pg from 'pg';
import type { Logger } from '../../logger';
import { planMigrations, type AppliedMigration, type MigrationFile } from './migrations';

/** The bookkeeping table, created before any migration (it cannot be a migration itself). */
export function bootstrapSql(schema: string): string[] {
  return [
    `create schema if not exists ${schema}`,
    `create table if not exists ${schema}.schema_migrations (
      version int not null primary key,
      name varchar(128) not null,
      checksum char(64) not null,
      applied_at timestamptz not null,
      applied_by varchar(160) not null,
      duration_ms int not null
    )`,
  ];
}

async function appliedMigrations(client: pg.PoolClient, schema: string): Promise<AppliedMigration[]> {
  const { rows } = await client.query<AppliedMigration>(
    `select version, name, checksum from ${schema}.schema_migrations order by version`,
  );
  return rows;
}

export interface MigrateOutcome {
  applied: string[];
  alreadyApplied: number;
  pending: string[];
}

/**
 * Applies the pending migrations of `files` to `schema`, each in its own transaction with the
 * bookkeeping row, under a lock on schema_migrations so two runners never apply the same one.
 * With `dryRun` nothing changes: the outcome lists what would be applied.
 * @throws InputRejectedError when an applied migration was edited or removed (nothing is applied).
 */
export async function migrate(
  pool: pg.Pool,
  schema: string,
  files: MigrationFile[],
  opts: { runId: string; dryRun: boolean; logger: Logger },
): Promise<MigrateOutcome> {
  const client = await pool.connect();
  try {
    for (const sql of bootstrapSql(schema)) await client.query(sql);
    const plan = planMigrations(files, await appliedMigrations(client, schema));
    const outcome: MigrateOutcome = {
      applied: [],
      alreadyApplied: plan.applied.length,
      pending: plan.pending.map((p) => path.basename(p.file)),
    };
    if (opts.dryRun) return outcome;
    for (const m of plan.pending) {
      const started = Date.now();
      await client.query('begin');
      try {
        await client.query(`lock table ${schema}.schema_migrations`);
        // Another runner may have applied it while this one waited for the lock.
        const now = planMigrations(files, await appliedMigrations(client, schema));
        if (!now.pending.some((p) => p.version === m.version)) {
          await client.query('rollback');
          continue;
        }
        await client.query(`set search_path to ${schema}`);
        await client.query(m.sql);
        await client.query(
          `insert into ${schema}.schema_migrations (version, name, checksum, applied_at, applied_by, duration_ms)
           values ($1, $2, $3, $4, $5, $6)`,
          [m.version, m.name, m.checksum, new Date(), opts.runId, Date.now() - started],
        );
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      }
      outcome.applied.push(path.basename(m.file));
      opts.logger.info({ migration: path.basename(m.file), ms: Date.now() - started }, 'migration applied');
    }
    return outcome;
  } finally {
    await client.query('reset search_path').catch(() => undefined);
    client.release();
  }
}
