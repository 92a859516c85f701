import pg from 'pg';
import type { Config } from '../config';
import { requireSecret, requireSetting } from '../config';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/** The one way tasks reach the warehouse (PostgreSQL locally, Redshift on AWS: both speak pg). */
export function createPool(config: Config, max = 4): pg.Pool {
  const w = config.warehouse;
  const pool = new pg.Pool({
    host: requireSetting(w.host, 'PGHOST', config.profile),
    port: w.port,
    database: w.database,
    user: w.user,
    password: requireSecret(w.password, 'WAREHOUSE_PASSWORD', config.profile),
    ssl: w.ssl ? { rejectUnauthorized: true } : false,
    max,
    connectionTimeoutMillis: 10_000,
    application_name: `sales-pipeline:${config.runId}`.slice(0, 63),
  });
  // The server can end a connection at any time (a restart, a stop, an administrator): pg reports
  // it as an 'error' event, which would crash the process with a stack if nobody listened. The
  // statement in flight fails with the same error, and the caller maps it to an exit code (3).
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/**
 * Runs `work` inside one transaction: BEGIN, COMMIT, or ROLLBACK and rethrow; the client is
 * always released. Loads use this so a killed or failed load leaves the previous state intact.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch((e: Error) => (broken = e));
    throw error;
  } finally {
    // A connection that failed even to roll back is destroyed, not returned to the pool.
    client.release(broken);
  }
}
