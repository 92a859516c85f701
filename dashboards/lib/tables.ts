import type { Query } from "./db.js";

/** Whether a table exists (the model tables appear only once the train step has run). */
export async function tableExists(q: Query, schema: string, table: string): Promise<boolean> {
  const rows = await q<{ t: string | null }>("select to_regclass($1) as t", [`${schema}.${table}`]);
  return rows[0]?.t != null;
}

/** `where dataset = any($1)` rows of one mart of `schema`, in the given order. */
export function mart(q: Query, schema: string, datasets: string[], table: string, columns: string, order: string, where = "") {
  return q(
    `select dataset, ${columns} from ${schema}.${table} where dataset = any($1) ${where} order by dataset, ${order}`,
    [datasets],
  );
}
