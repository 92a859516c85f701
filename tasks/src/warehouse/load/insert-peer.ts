import type { Run } from '../dialects/dialect';
import { FACT_COLUMNS, type LineEncoder } from './lines';
import { LOAD_TABLE } from './statements';
import type { LoadContext } from './steps';

/** Lines per INSERT statement of the benchmark peer. */
const PER = 1_000;

/**
 * The benchmark peer (--stage-method insert, local profile): the day's rows reach the new fact
 * table through multi-row INSERT statements with bound parameters, the usual way to load without
 * COPY. Everything before and after is the step's own algorithm.
 */
export async function insertRows(c: LoadContext, encoder: LineEncoder, run: Run): Promise<number> {
  const cols = FACT_COLUMNS;
  const sql = (n: number) =>
    `insert into ${c.schema}.${LOAD_TABLE} (${cols.join(', ')}) values ` +
    Array.from({ length: n }, (_, r) => `(${cols.map((_c, k) => `$${r * cols.length + k + 1}`).join(', ')})`).join(
      ', ',
    );
  const full = sql(PER);
  let rows = 0;
  for await (const b of c.day.batches()) {
    for (let i = 0; i < b.length; i += PER) {
      const n = Math.min(PER, b.length - i);
      const values: (string | null)[] = [];
      for (let r = i; r < i + n; r++) values.push(...encoder.values(b, r, c.dataset, c.dt));
      rows += (await run(n === PER ? full : sql(n), values)).rowCount ?? 0;
    }
  }
  return rows;
}
