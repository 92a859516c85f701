import { appendFileSync, cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPool, type Pool } from '../../src/clients/db';
import { MODEL } from '../../src/warehouse/model/tables';
import { migrationsDir } from '../../src/warehouse/model/render-migrations';
import { runStepCli, stackConfig, uniqueSuffix } from './helpers';
import { dropSchema } from './warehouse-helpers';

describe('warehouse-migrate', () => {
  let pool: Pool;
  const schema = `wh_mig_${uniqueSuffix().replace(/-/g, '_')}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'migrations-'));
  const migrate = () => runStepCli(['warehouse-migrate', '--schema', schema, '--migrations-dir', dir]);
  // The committed migrations, in version order (V001 creates the tables, V002 their unknown members).
  const committed = readdirSync(migrationsDir('postgres'))
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const next = committed.length + 1;
  const file = (n: number, name: string) => `V${String(n).padStart(3, '0')}__${name}.sql`;

  beforeAll(() => {
    pool = createPool(stackConfig());
    cpSync(migrationsDir('postgres'), dir, { recursive: true });
  });
  afterAll(async () => {
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('creates every table of the model with its unknown members, records checksums, and does nothing the second time', async () => {
    const first = await migrate();
    expect(first.code).toBe(0);
    expect(committed.slice(0, 2)).toEqual(['V001__create_star_schema.sql', 'V002__insert_unknown_members.sql']);
    expect(first.result.details.applied).toEqual(committed);
    const { rows } = await pool.query(
      `select table_name from information_schema.tables where table_schema = $1 and table_name not like '%\\_p2%' order by 1`,
      [schema],
    );
    expect(rows.map((r) => r.table_name)).toEqual([...MODEL.map((t) => t.name), 'schema_migrations'].sort());
    const unknown = await pool.query(`select product_key::int, category from ${schema}.dim_product`);
    expect(unknown.rows).toEqual([{ product_key: 0, category: 'Unknown' }]);
    const again = await migrate();
    expect(again.code).toBe(0);
    expect(again.result.status).toBe('unchanged');
    const recorded = await pool.query(
      `select version, length(checksum) as n from ${schema}.schema_migrations order by 1`,
    );
    expect(recorded.rows).toEqual(committed.map((_f, i) => ({ version: i + 1, n: 64 })));
  });

  it('applies a new migration, then refuses to run once an applied one was edited, naming the file', async () => {
    writeFileSync(path.join(dir, file(next, 'add_note')), 'alter table load_audit add column note varchar(32);\n');
    const added = await migrate();
    expect(added.code).toBe(0);
    expect(added.result.details.applied).toEqual([file(next, 'add_note')]);
    appendFileSync(path.join(dir, 'V002__insert_unknown_members.sql'), '-- an innocent-looking edit\n');
    writeFileSync(path.join(dir, file(next + 1, 'more')), 'alter table load_audit add column more int;\n');
    const refused = await migrate();
    expect(refused.code).toBe(1);
    expect(refused.result.error.message).toMatch(/V002__insert_unknown_members\.sql was edited after it was applied/);
    const columns = await pool.query(
      `select column_name from information_schema.columns where table_schema = $1 and table_name = 'load_audit' and column_name = 'more'`,
      [schema],
    );
    expect(columns.rows).toEqual([]);
  });
});
