import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, InputRejectedError } from '../../src/errors';
import { checksumOf, checkSchemaName, planMigrations, readMigrations } from '../../src/warehouse/model/migrations';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mig-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(path.join(dir, name), sql);
  return dir;
}

describe('warehouse migrations', () => {
  const dir = folder({ 'V001__create.sql': 'create table a (x int);', 'V002__seed.sql': 'insert into a values (1);' });
  const files = readMigrations(dir);
  const applied = (n: number) =>
    files.slice(0, n).map((f) => ({ version: f.version, name: f.name, checksum: f.checksum }));

  it('reads the files in version order with their checksums', () => {
    expect(files.map((f) => [f.version, f.name])).toEqual([
      [1, 'create'],
      [2, 'seed'],
    ]);
    expect(files[0]!.checksum).toBe(checksumOf('create table a (x int);'));
    expect(checksumOf('a\r\nb')).toBe(checksumOf('a\nb'));
  });

  it('plans only the migrations not yet applied', () => {
    expect(planMigrations(files, applied(1)).pending.map((f) => f.version)).toEqual([2]);
    expect(planMigrations(files, applied(2)).pending).toEqual([]);
  });

  it('refuses to run when an applied migration was edited, naming the file', () => {
    const edited = [{ ...applied(1)[0]!, checksum: checksumOf('create table a (x bigint);') }];
    expect(() => planMigrations(files, edited)).toThrow(InputRejectedError);
    expect(() => planMigrations(files, edited)).toThrow(/V001__create\.sql was edited after it was applied/);
  });

  it('refuses when an applied migration has no file, or a new one sorts before an applied one', () => {
    const gone = [...applied(2), { version: 3, name: 'gone', checksum: 'x' }];
    expect(() => planMigrations(files, gone)).toThrow(/V3 \(gone\) is applied but its file is gone/);
    const late = readMigrations(
      folder({ 'V001__a.sql': 'select 1;', 'V003__c.sql': 'select 3;', 'V002__b.sql': 'select 2;' }),
    );
    const done = [late[0]!, late[2]!].map((f) => ({ version: f.version, name: f.name, checksum: f.checksum }));
    expect(() => planMigrations(late, done)).toThrow(/V002__b\.sql would apply before the already applied V3/);
  });

  it('rejects badly named files and unsafe schema names as configuration errors', () => {
    expect(() => readMigrations(folder({ 'create.sql': 'select 1;' }))).toThrow(ConfigError);
    expect(() => checkSchemaName('sales; drop schema x')).toThrow(/must match/);
    expect(checkSchemaName('sales')).toBe('sales');
  });
});
