import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checksumOf } from '../../src/warehouse/model/migrations';
import { MODEL } from '../../src/warehouse/model/tables';
import { DIALECTS, type Table } from '../../src/warehouse/model/types';
import { redshiftEncoding, renderSchema, renderUnknownMember } from '../../src/warehouse/model/render';
import { diffModels, UnsupportedChange } from '../../src/warehouse/model/render-diff';
import {
  migrationsDir,
  nextMigration,
  readSnapshot,
  writeMigrations,
} from '../../src/warehouse/model/render-migrations';

/** table -> "column type" lines of every CREATE TABLE in a DDL text. */
function declared(ddl: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of ddl.matchAll(/create table (\w+) \(\n([\s\S]*?)\n(?: {2}primary key|\))/g)) {
    out[m[1]!] = m[2]!.split('\n').map((l) => {
      const [name, type] = l.trim().split(/\s+/);
      return `${name} ${type!.replace(/,$/, '')}`;
    });
  }
  return out;
}

/** sha256 of the migrations applied to warehouses: they never change (add the next one instead). */
const APPLIED: Record<string, string> = {
  'postgres/V001__create_star_schema.sql': '8c604058d5f77efc502cbb2d11a23595fbcb5240d1b66229c31cec90cc39e9a5',
  'postgres/V002__insert_unknown_members.sql': '89152d30790b84adaeb57c615a2705dfa82f320a3032a1dea31ac1326ab25b69',
  'postgres/V003__fact_order_lines_product_ix_product_key_first.sql':
    '415ac1216f85ad4296c9db1e9f470bf4f8a62984c7b8a5c0e95fcc0061857b9d',
  'postgres/V004__fact_order_lines_product_ix_product_key_only.sql':
    '94ef3f1bcd34e11d225ce1af3ac842342e21580717d06f93ff2016fee468eb4f',
  'postgres/V005__load_audit_one_row_per_attempt.sql':
    '159a345a97ddfdeb766c7fcb57be5068c8174c29c8f3f206e688f04fa9fe7530',
  'postgres/V006__fact_order_lines_key_checked_by_loader.sql':
    'cc19d1a0d39ccbc784be4855dda7d7a2c85b16e2c264e3a152d64f81a3bb607c',
  'redshift/V001__create_star_schema.sql': '9e0dc0ad9c2d587fc3eb54152db6a2b076340829eae51244bf5030cbdd7b6af7',
  'redshift/V002__insert_unknown_members.sql': 'e445c8cee14796a7b425586133577a127ebd89c3282dccab34040d5fe258fb10',
  'redshift/V003__fact_order_lines_product_ix_product_key_first.sql':
    'be6930af7d2b6d689c15c322b30c341b64489f763f408cffcec7925542166b02',
  'redshift/V004__fact_order_lines_product_ix_product_key_only.sql':
    'be6930af7d2b6d689c15c322b30c341b64489f763f408cffcec7925542166b02',
  'redshift/V005__load_audit_one_row_per_attempt.sql':
    '159a345a97ddfdeb766c7fcb57be5068c8174c29c8f3f206e688f04fa9fe7530',
  'redshift/V006__fact_order_lines_key_checked_by_loader.sql':
    '55128e11fe2551b6b09daef77d258f956f42370b515fe1499a2ae3247cb90ab2',
};

/** A copy of the repository's sql/migrations in a temporary root. */
function scratchRoot(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'sql-render-'));
  cpSync(path.join(migrationsDir('postgres'), '..'), path.join(root, 'sql', 'migrations'), { recursive: true });
  return root;
}

const clone = (model: Table[]) => JSON.parse(JSON.stringify(model)) as Table[];

describe('warehouse migrations, rendered from one model into two dialects', () => {
  it('never changes an applied migration file', () => {
    for (const [file, sha] of Object.entries(APPLIED)) {
      const text = readFileSync(path.join(migrationsDir('postgres'), '..', file), 'utf8');
      expect({ file, sha: checksumOf(text) }).toEqual({ file, sha });
    }
  });

  it('builds the model in model*.ts: its snapshot beside the migrations equals it (else run `make sql-render`)', () => {
    expect(readSnapshot()).toEqual(clone(MODEL));
    expect(nextMigration()).toBeNull();
  });

  it('adds the next numbered migration for a model change, leaving the applied ones as they are', () => {
    const root = scratchRoot();
    const before = DIALECTS.map((d) =>
      readdirSync(migrationsDir(d, root)).map((f) => [f, readFileSync(path.join(migrationsDir(d, root), f), 'utf8')]),
    );
    const model = clone(MODEL);
    const product = model.find((t) => t.name === 'dim_product')!;
    product.columns.push({
      name: 'colour',
      type: 'varchar(40)',
      nullable: true,
      doc: 'Colour, when the catalogue has one',
    });
    product.postgres.indexes.push({ name: 'dim_product_colour_ix', columns: ['colour'], reason: 'colour filters' });
    const written = writeMigrations(model, root);
    // The version after the committed ones.
    const version = `V${String(before[0]!.filter(([f]) => f!.endsWith('.sql')).length + 1).padStart(3, '0')}`;
    const file = `${version}__add_dim_product_colour_and_add_dim_product_colour_ix.sql`;
    const next = (d: string) => readFileSync(path.join(migrationsDir(d, root), file), 'utf8');
    expect(written).toContain(`sql/migrations/postgres/${file}`);
    expect(next('postgres')).toContain('alter table dim_product add column colour varchar(40);');
    expect(next('postgres')).toContain('create index dim_product_colour_ix on dim_product (colour);');
    expect(next('redshift')).toContain('alter table dim_product add column colour varchar(40) encode zstd;');
    expect(next('redshift')).not.toContain('index');
    for (const [i, d] of DIALECTS.entries())
      for (const [f, text] of before[i]!)
        expect(readFileSync(path.join(migrationsDir(d, root), f!), 'utf8')).toBe(text);
    // Once written, the model is built: rendering again adds nothing.
    expect(readSnapshot(root)).toEqual(model);
    expect(nextMigration(model, root)).toBeNull();
    expect(writeMigrations(model, root)).toEqual(['sql/migrations/model.json']);
  });

  it('renders a new table with its unknown member, and refuses changes it cannot generate', () => {
    const model = clone(MODEL);
    const channel = { ...clone(MODEL).find((t) => t.name === 'dim_status')!, name: 'dim_channel' };
    model.push(channel);
    expect(diffModels(MODEL, model).map((c) => c.kind)).toEqual(['add_table']);
    const changed = clone(MODEL);
    const fact = changed.find((t) => t.name === 'fact_order_lines')!;
    fact.columns.find((c) => c.name === 'qty')!.type = 'bigint';
    fact.columns.push({ name: 'late', type: 'int', doc: 'not null, rows exist' });
    changed.splice(
      changed.findIndex((t) => t.name === 'load_audit'),
      1,
    );
    expect(() => diffModels(MODEL, changed)).toThrow(UnsupportedChange);
    expect(() => diffModels(MODEL, changed)).toThrow(
      /table load_audit is dropped[\s\S]*fact_order_lines\.qty changes type[\s\S]*fact_order_lines\.late is added NOT NULL/,
    );
    expect(renderUnknownMember(channel)).toMatch(/^insert into dim_channel \(/);
    // Declaring the fact's primary key on PostgreSQL again is a key change: written by hand.
    const keyed = clone(MODEL);
    delete keyed.find((t) => t.name === 'fact_order_lines')!.postgres.primaryKeyNotDeclared;
    expect(() => diffModels(MODEL, keyed)).toThrow(/table fact_order_lines: primary key/);
  });

  it('declares the same tables, columns and types in both dialects', () => {
    const pg = declared(renderSchema(MODEL, 'postgres'));
    const rs = declared(renderSchema(MODEL, 'redshift'));
    expect(Object.keys(pg).sort()).toEqual(MODEL.map((t) => t.name).sort());
    expect(rs).toEqual(pg);
  });

  it('gives every Redshift table a distribution and sort key and every column an encoding', () => {
    const rs = renderSchema(MODEL, 'redshift');
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

  it('range-partitions the PostgreSQL fact by dt, without the key the loader checks, and gives every dimension its unknown member 0', () => {
    const pg = renderSchema(MODEL, 'postgres');
    const fact = pg.slice(pg.indexOf('-- fact_order_lines:'), pg.indexOf('create index fact_order_lines_product_ix'));
    expect(fact).toContain('-- No primary key (dataset, dt, order_id, sku): the loader checks it on both dialects');
    expect(fact).toContain(
      'is_non_amazon boolean not null -- sales channel Non-Amazon (no revenue)\n) partition by range (dt);',
    );
    expect(fact).not.toMatch(/^ {2}primary key/m);
    // Redshift declares it (unenforced: the planner's information).
    expect(renderSchema(MODEL, 'redshift')).toContain('  primary key (dataset, dt, order_id, sku)\n)\ndiststyle key');
    for (const t of MODEL.filter((x) => x.name.startsWith('dim_')))
      expect(renderUnknownMember(t)).toMatch(new RegExp(`insert into ${t.name} \\(\\w+_key[^)]*\\) values \\(0,`));
  });
});
