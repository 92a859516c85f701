import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPool, type Pool } from '../../src/clients/db';
import { createS3Client, listObjects } from '../../src/clients/s3';
import { uploadSite } from '../../src/dashboards/upload';
import { runStepCli, stackConfig, uniqueSuffix } from './helpers';

// The site build itself (30 s) is exercised by the dashboards tier (make test-dashboards), which
// runs this step on the fixture dataset and checks the pages in Chromium.
describe('dashboard step', () => {
  const config = stackConfig();
  let pool: Pool;
  beforeAll(() => {
    pool = createPool(config, 1);
  });
  afterAll(async () => {
    await pool.end();
  });

  it('exits 1 naming the dataset when the marts hold no rows for it, and builds nothing', async () => {
    const dataset = `no-marts-${uniqueSuffix()}`;
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'dashboard-')), 'site');
    const { code, result } = await runStepCli(['dashboard', '--dataset', dataset, '--out', out]);
    expect(code).toBe(1);
    expect(result.status).toBe('rejected');
    expect(result.error.message).toMatch(new RegExp(`(no rows for dataset "${dataset}"|has no marts)`));
    expect(result.error.message).toContain('analysis step');
    expect(result.outputs).toEqual([]);
  });

  it('reads the marts of --marts-schema: a schema without marts exits 1 naming it and the option to pass', async () => {
    const schema = `no_marts_${uniqueSuffix().replace(/\W/g, '_')}`.toLowerCase();
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'dashboard-')), 'site');
    const args = ['dashboard', '--dataset', 'kaggle-sample', '--marts-schema', schema, '--out', out];
    const { code, result } = await runStepCli(args);
    expect(code).toBe(1);
    expect(result.error.message).toContain(`has no marts (schema ${schema})`);
    expect(result.error.message).toContain(`ARGS="--marts-schema ${schema}"`);
    expect(result.outputs).toEqual([]);
    // A name that is not a plain schema name is refused before anything runs.
    const bad = await runStepCli(['dashboard', '--marts-schema', 'Marts;x', '--out', out]);
    expect(bad.code).toBe(2);
  });

  it('mirrors a built site to its prefix: a re-run with other hashed names leaves only the new files', async () => {
    const s3 = createS3Client(config);
    const prefix = `itest/dashboard-${uniqueSuffix()}/`;
    const dir = mkdtempSync(path.join(tmpdir(), 'site-'));
    const write = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    };
    try {
      write('index.html', '<h1>v1</h1>');
      write('_file/data/overview.aaaa1111.json', '{"v":1}');
      const first = await uploadSite(s3, config.s3.bucket, dir, prefix);
      expect(first).toEqual({ files: 2, bytes: 18, deleted: 0 });
      rmSync(path.join(dir, '_file'), { recursive: true });
      write('index.html', '<h1>v2</h1>');
      write('_file/data/overview.bbbb2222.json', '{"v":2}');
      const second = await uploadSite(s3, config.s3.bucket, dir, prefix);
      expect(second.deleted).toBe(1);
      const keys = (await listObjects(s3, config.s3.bucket, prefix)).map((o) => o.key.slice(prefix.length));
      expect(keys).toEqual(['_file/data/overview.bbbb2222.json', 'index.html']);
      const again = await uploadSite(s3, config.s3.bucket, dir, prefix);
      expect(again).toEqual({ files: 2, bytes: 18, deleted: 0 });
    } finally {
      s3.destroy();
    }
  });
});
