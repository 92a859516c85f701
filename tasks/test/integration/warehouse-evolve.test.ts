import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPool, type Pool } from '../../src/clients/db';
import { createS3Client } from '../../src/clients/s3';
import { MODEL } from '../../src/warehouse/model/tables';
import type { Table } from '../../src/warehouse/model/types';
import { migrationsDir, writeMigrations } from '../../src/warehouse/model/render-migrations';
import { runStepCli, stackConfig, uniqueSuffix } from './helpers';
import { dayRows, dropSchema, putSilver } from './warehouse-helpers';

/** How PostgreSQL spells the model's types (format_type). */
const PG_TYPE: Record<string, string> = { int: 'integer', timestamptz: 'timestamp with time zone' };
const spelled = (type: string) => PG_TYPE[type] ?? type.replace(/^varchar/, 'character varying');

/** table -> "column type [not null]" of the model's tables, as the database should declare them. */
const expected = (model: Table[]) =>
  Object.fromEntries(
    model.map((t) => [t.name, t.columns.map((c) => `${c.name} ${spelled(c.type)}${c.nullable ? '' : ' not null'}`)]),
  );

/** The same, read from the database (partitions of the fact left out). */
async function declared(pool: Pool, schema: string): Promise<Record<string, string[]>> {
  const { rows } = await pool.query<{ t: string; c: string }>(
    `select c.relname as t, a.attname || ' ' || format_type(a.atttypid, a.atttypmod) ||
            case when a.attnotnull then ' not null' else '' end as c
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind in ('r', 'p') and not c.relispartition and a.attnum > 0
        and not a.attisdropped and c.relname <> 'schema_migrations'
      order by c.relname, a.attnum`,
    [schema],
  );
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.t] ??= []).push(r.c);
  return out;
}

/** table -> its primary key's columns, in order, as the model declares them on PostgreSQL. */
const keysOf = (model: Table[]) =>
  Object.fromEntries(model.filter((t) => !t.postgres.primaryKeyNotDeclared).map((t) => [t.name, t.primaryKey]));

/** The same, read from the database (partitions of the fact left out). */
async function declaredKeys(pool: Pool, schema: string): Promise<Record<string, string[]>> {
  const { rows } = await pool.query<{ t: string; cols: string[] }>(
    `select c.relname as t, array_agg(a.attname::text order by k.i) as cols
       from pg_constraint p join pg_class c on c.oid = p.conrelid join pg_namespace n on n.oid = c.relnamespace
       cross join lateral unnest(p.conkey) with ordinality as k(attnum, i)
       join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
      where n.nspname = $1 and p.contype = 'p' and not c.relispartition and c.relname <> 'schema_migrations'
      group by c.relname`,
    [schema],
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.cols]));
}

/** count and md5 of every row of every model table, over the columns of `model` only. */
async function rowsOf(pool: Pool, schema: string, model: Table[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of model) {
    const cols = t.columns.map((c) => c.name).join(', ');
    const { rows } = await pool.query<{ n: string; md5: string }>(
      `select count(*) as n, coalesce(md5(string_agg(r::text, E'\\n' order by r::text)), '') as md5
         from (select ${cols} from ${schema}.${t.name}) as r`,
    );
    out[t.name] = `${rows[0]!.n}:${rows[0]!.md5}`;
  }
  return out;
}

describe('warehouse migrations that evolve', () => {
  let pool: Pool;
  let s3: S3Client;
  const bucket = `wh-evolve-${uniqueSuffix()}`;
  const schema = `wh_evo_${uniqueSuffix().replace(/-/g, '_')}`;
  const root = mkdtempSync(path.join(tmpdir(), 'sql-evolve-'));
  const dir = path.join(root, 'applied');
  const migrate = () => runStepCli(['warehouse-migrate', '--schema', schema, '--migrations-dir', dir]);

  beforeAll(async () => {
    pool = createPool(stackConfig());
    s3 = createS3Client(stackConfig());
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    cpSync(path.join(migrationsDir('postgres'), '..'), path.join(root, 'sql', 'migrations'), { recursive: true });
    mkdirSync(dir);
  });
  afterAll(async () => {
    await dropSchema(pool, schema);
    await pool.end();
    s3.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('migrates a warehouse holding data from V001 to the latest, a generated model change included, losing no row', async () => {
    const committed = readdirSync(migrationsDir('postgres', root)).filter((f) => f.endsWith('.sql'));
    const add = (name: string) => copyFileSync(path.join(migrationsDir('postgres', root), name), path.join(dir, name));
    // V001 alone, then the committed migrations but the last, then a day of data, then the last
    // committed migration (today's loader works against the version before it).
    add(committed[0]!);
    expect((await migrate()).result.details.applied).toEqual(['V001__create_star_schema.sql']);
    for (const name of committed.slice(1, -1)) add(name);
    expect((await migrate()).code).toBe(0);
    const dataset = `it-${uniqueSuffix()}`;
    await putSilver(s3, bucket, dataset, '2022-04-30', dayRows('2022-04-30', 60), { files: 2 });
    const load = ['warehouse-load', '--dt', '2022-04-30', '--dataset', dataset, '--schema', schema];
    expect((await runStepCli(load, { S3_BUCKET: bucket })).code).toBe(0);
    const before = await rowsOf(pool, schema, MODEL);
    expect(before.fact_order_lines).toMatch(/^60:/);
    expect(before.load_audit).toMatch(/^1:/);
    add(committed[committed.length - 1]!);
    expect((await migrate()).result.details.applied).toEqual([committed[committed.length - 1]]);
    expect(await rowsOf(pool, schema, MODEL)).toEqual(before);
    expect(await declared(pool, schema)).toEqual(expected(MODEL));
    expect(await declaredKeys(pool, schema)).toEqual(keysOf(MODEL));

    // A model change: `make sql-render` writes the next migration; it applies to the loaded warehouse.
    const model = JSON.parse(JSON.stringify(MODEL)) as Table[];
    const fact = model.find((t) => t.name === 'fact_order_lines')!;
    fact.columns.push({ name: 'gift_wrap', type: 'boolean', nullable: true, doc: 'Gift wrapped (new)' });
    fact.postgres.indexes.push({ name: 'fact_order_lines_gift_ix', columns: ['gift_wrap'], reason: 'gift filters' });
    const status = JSON.parse(JSON.stringify(model.find((t) => t.name === 'dim_status')!)) as Table;
    model.push({ ...status, name: 'dim_channel', postgres: { ...status.postgres, indexes: [] } });
    const written = writeMigrations(model, root).filter((f) => f.includes('/postgres/'));
    expect(written).toHaveLength(1);
    add(path.basename(written[0]!));
    const evolved = await migrate();
    expect(evolved.code).toBe(0);
    expect(evolved.result.details.applied).toEqual([path.basename(written[0]!)]);
    expect(await rowsOf(pool, schema, MODEL)).toEqual(before);
    expect(await declared(pool, schema)).toEqual(expected(model));
    expect(await declaredKeys(pool, schema)).toEqual(keysOf(model));
    const unknown = await pool.query(`select count(*)::int as n from ${schema}.dim_channel`);
    expect(unknown.rows).toEqual([{ n: 1 }]);
    // The loader still loads into the evolved warehouse, and a re-run gives the same rows (its
    // audit log gains a line).
    expect((await runStepCli(load, { S3_BUCKET: bucket })).code).toBe(0);
    const after = await rowsOf(pool, schema, MODEL);
    expect(after.load_audit).toMatch(/^2:/);
    expect({ ...after, load_audit: before.load_audit }).toEqual(before);
  });
});
