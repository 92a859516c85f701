import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { createPool, inTransaction, type Pool } from '../../src/clients/db';
import { stackConfig, uniqueSuffix } from './helpers';

describe('PostgreSQL warehouse (the local Redshift stand-in)', () => {
  let pool: Pool;
  const table = `itest_copy_${uniqueSuffix().replace(/-/g, '_')}`;

  beforeAll(() => {
    pool = createPool(stackConfig());
  });
  afterAll(async () => {
    await pool.query(`drop table if exists ${table}`);
    await pool.end();
  });

  it('connects as the task role, which is not a superuser', async () => {
    const { rows } = await pool.query<{ user: string; super: boolean }>(
      'select current_user as user, rolsuper as super from pg_roles where rolname = current_user',
    );
    expect(rows[0]).toEqual({ user: stackConfig().warehouse.user, super: false });
  });

  it('COPYs rows in from a stream and reads them back, quotes and keywords as data', async () => {
    await pool.query(`create table ${table} (order_id text, sku text, amount numeric(12,2))`);
    const lines = [
      '405-8078784-5731545\tSET389-KR-NP-S\t647.62',
      '171-9198151-1101146\tJNE3781-KR-XXXL\t406.00',
      "404-0687676-7273146\tO'Brien; drop table x;--\t\\N",
    ];
    const client = await pool.connect();
    try {
      await pipeline(Readable.from(lines.map((l) => `${l}\n`)), client.query(copyFrom(`copy ${table} from stdin`)));
    } finally {
      client.release();
    }
    const { rows } = await pool.query('select order_id, sku, amount from ' + table + ' order by order_id');
    expect(rows).toEqual([
      { order_id: '171-9198151-1101146', sku: 'JNE3781-KR-XXXL', amount: '406.00' },
      { order_id: '404-0687676-7273146', sku: "O'Brien; drop table x;--", amount: null },
      { order_id: '405-8078784-5731545', sku: 'SET389-KR-NP-S', amount: '647.62' },
    ]);
  });

  it('rolls a failed transaction back completely', async () => {
    await pool.query(`create table if not exists ${table}_tx (n int)`);
    await expect(
      inTransaction(pool, async (c) => {
        await c.query(`insert into ${table}_tx values ($1)`, [1]);
        await c.query('select 1/0');
      }),
    ).rejects.toThrow(/division by zero/);
    const { rows } = await pool.query(`select count(*)::int as n from ${table}_tx`);
    expect(rows[0].n).toBe(0);
    await pool.query(`drop table ${table}_tx`);
  });
});
