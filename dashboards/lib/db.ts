// Loader-side helpers: one warehouse pool, the build's scope (dataset, date range) from the
// environment, and `emit`, which prints a loader's JSON or fails the build with a one-line reason.
import pg from "pg";
import { martsSchemaOf } from "./env.mjs";

// DATE stays the ISO text it is (a JS Date would shift with the time zone); numeric and bigint
// become numbers (money fits a double at two decimals; counts are far below 2^53).
pg.types.setTypeParser(1082, (v: string) => v);
pg.types.setTypeParser(1700, (v: string) => Number(v));
pg.types.setTypeParser(20, (v: string) => Number(v));

export interface Scope {
  /** Only this dataset (DASHBOARD_DATASET); every dataset with a mart build when unset. */
  dataset: string | null;
  /** The schema of the marts (DASHBOARD_MARTS_SCHEMA, the analysis step's --marts-schema); `marts` when unset. */
  marts: string;
  /** Inclusive day range (DASHBOARD_FROM / DASHBOARD_TO); the marts' whole range when unset. */
  from: string | null;
  to: string | null;
}

const day = /^\d{4}-\d{2}-\d{2}$/;

export function scopeFromEnv(env: NodeJS.ProcessEnv = process.env): Scope {
  const pick = (name: string) => {
    const v = env[name]?.trim();
    if (!v) return null;
    if (name !== "DASHBOARD_DATASET" && !day.test(v)) throw new Error(`${name} must be YYYY-MM-DD, got "${v}"`);
    return v;
  };
  // Written into the loaders' SQL (a schema cannot be a bound parameter): plain names only.
  const marts = martsSchemaOf(env);
  if (!marts) throw new Error(`DASHBOARD_MARTS_SCHEMA must be a lower-case schema name, got "${env.DASHBOARD_MARTS_SCHEMA}"`);
  return { dataset: pick("DASHBOARD_DATASET"), marts, from: pick("DASHBOARD_FROM"), to: pick("DASHBOARD_TO") };
}

export function createPool(env: NodeJS.ProcessEnv = process.env): pg.Pool {
  return new pg.Pool({
    host: env.PGHOST ?? "127.0.0.1",
    port: Number(env.PGPORT ?? 5432),
    database: env.WAREHOUSE_DB ?? env.PGDATABASE ?? "warehouse",
    user: env.WAREHOUSE_USER ?? env.PGUSER,
    password: env.WAREHOUSE_PASSWORD ?? env.PGPASSWORD,
    ssl: env.WAREHOUSE_SSL === "true" ? { rejectUnauthorized: true } : undefined,
    max: 2,
    application_name: "sales-pipeline-dashboards",
  });
}

export type Query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

/** `dataset = any($1)` filter values: the scope's dataset, or every dataset with a mart build. */
export async function datasetsInScope(q: Query, scope: Scope): Promise<string[]> {
  if (scope.dataset) return [scope.dataset];
  const rows = await q<{ dataset: string }>(`select distinct dataset from ${scope.marts}.mart_build order by dataset`);
  return rows.map((r) => r.dataset);
}

/** Runs a loader body against the warehouse and writes its JSON to stdout; exit 1 with the reason. */
export async function emit(body: (q: Query, scope: Scope) => Promise<unknown>): Promise<void> {
  const pool = createPool();
  const q: Query = async (sql, params = []) => (await pool.query(sql, params)).rows;
  try {
    const out = await body(q, scopeFromEnv());
    process.stdout.write(JSON.stringify(out));
  } catch (error) {
    process.stderr.write(`dashboard loader failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await pool.end();
  }
}
