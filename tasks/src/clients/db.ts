import pg from 'pg';
import type { Config } from '../config';
import { requireSecret, requireSetting } from '../config';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/** The one way tasks reach the warehouse (PostgreSQL locally, Redshift on AWS: both speak pg). */
export function createPool(config: Config, max = 4): pg.Pool {
  const w = config.warehouse;
  return new pg.Pool({
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
}

/**
 * Runs `work` inside one transaction: BEGIN, COMMIT, or ROLLBACK and rethrow; the client is
 * always released. Loads use this so a killed or failed load leaves the previous state intact.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
