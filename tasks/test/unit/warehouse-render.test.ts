import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MODEL } from '../../src/warehouse/model';
import { DIALECTS } from '../../src/warehouse/model-types';
import { migrationFileName, redshiftEncoding, renderMigrations } from '../../src/warehouse/render';
import { migrationsDir } from '../../src/warehouse/render-main';

/** table -> "column type" lines of every CREATE TABLE in a DDL text. */
function declared(ddl: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of ddl.matchAll(/create table (\w+) \(\n([\s\S]*?)\n {2}primary key/g)) {
    out[m[1]!] = m[2]!.split('\n').map((l) => {
      const [name, type] = l.trim().split(/\s+/);
      return `${name} ${type!.replace(/,$/, '')}`;
    });
  }
  return out;
}

describe('warehouse DDL, one model rendered into two dialects', () => {
  const migrations = renderMigrations();

  it('keeps the committed migration files equal to the rendering of the model (run `make sql-render`)', () => {
    for (const m of migrations) {
      for (const d of DIALECTS) {
        const committed = readFileSync(path.join(migrationsDir(d), migrationFileName(m)), 'utf8');
        expect(committed).toBe(m.sql[d]);
      }
    }
  });

  it('declares the same tables, columns and types in both dialects', () => {
    const pg = declared(migrations[0]!.sql.postgres);
    const rs = declared(migrations[0]!.sql.redshift);
    expect(Object.keys(pg).sort()).toEqual(MODEL.map((t) => t.name).sort());
    expect(rs).toEqual(pg);
  });

  it('gives every Redshift table a distribution and sort key and every column an encoding', () => {
    const rs = migrations[0]!.sql.redshift;
    for (const t of MODEL) {
      const block = rs.slice(rs.indexOf(`create table ${t.name} (`));
      expect(block).toMatch(new RegExp(`\\)\\ndiststyle (all|even|key distkey \\(\\w+\\))\\ncompound sortkey \\(`));
      for (const c of t.columns) expect(block).toContain(`${c.name} ${c.type}`);
    }
    expect(rs.match(/ encode (raw|az64|zstd|bytedict|runlength),? /g)).toHaveLength(
      MODEL.reduce((n, t) => n + t.columns.length, 0),
    );
  });

  it('leaves Redshift sort key columns uncompressed and compresses the rest by type', () => {
    const fact = MODEL.find((t) => t.name === 'fact_order_lines')!;
    const enc = (name: string) =>
      redshiftEncoding(
        fact,
        fact.columns.find((c) => c.name === name)!,
      );
    expect([enc('dataset'), enc('dt'), enc('order_id'), enc('amount'), enc('is_b2b')]).toEqual([
      'raw',
      'raw',
      'zstd',
      'az64',
      'zstd',
    ]);
  });

  it('range-partitions the PostgreSQL fact by dt and gives every dimension its unknown member 0', () => {
    expect(migrations[0]!.sql.postgres).toContain(
      'primary key (dataset, dt, order_id, sku)\n) partition by range (dt);',
    );
    const dims = MODEL.filter((t) => t.name.startsWith('dim_'));
    for (const d of DIALECTS) {
      for (const t of dims)
        expect(migrations[1]!.sql[d]).toMatch(new RegExp(`insert into ${t.name} \\(\\w+_key[^)]*\\) values \\(0,`));
    }
  });
});
