import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli';
import { scanEvent } from '../../src/commands/stream-land/scan-event';
import { checkEvent } from '../../src/events/check-event';
import { toEvent } from '../../src/events/to-event';
import { checkDatasetId, checkNotFlag } from '../../src/source/dataset';
import { sampleFields } from './sample-fields';

async function runCli(argv: string[]) {
  const err: string[] = [];
  const o = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  try {
    return { code: await main(argv), stderr: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'edge-'));

describe('the edge of every step', () => {
  it.each([
    ['ingest-raw', []],
    ['stream-produce', []],
    ['glue-transform', []],
    ['quality-gate', ['--suite', 'bronze_order_lines']],
    ['warehouse-load', []],
  ])('%s refuses a dataset id off the rule as a usage error (exit 2), before any work', async (step, extra) => {
    for (const bad of ['a/b', 'Kaggle', '../x', '-x', 'x'.repeat(64), 'a b']) {
      const { code, stderr } = await runCli([step, '--dt', '2022-04-30', ...extra, `--dataset=${bad}`]);
      expect([bad, code]).toEqual([bad, 2]);
      expect(stderr).toMatch(/is not a dataset id/);
    }
  });

  it('refuses a source that is a flag in disguise, and never acts on it', async () => {
    const target = path.join(dir, 'owned.json');
    for (const argv of [
      ['ingest-raw', '--dt', '2022-04-30', `--source=--xcom-path=${target}`],
      ['stream-produce', '--dt', '2022-04-30', `--source=--xcom-path=${target}`],
      ['quality-gate', '--dt', '2022-04-30', '--suite', 'bronze_order_lines', `--source=--xcom-path=${target}`],
    ]) {
      const { code, stderr } = await runCli(argv);
      expect([argv[0], code]).toEqual([argv[0], 2]);
      expect(stderr).toMatch(/--source must be/);
    }
    expect(existsSync(target)).toBe(false);
  });

  it('keeps the rule in one place: ids, and path-or-URI values', () => {
    expect(checkDatasetId('synthetic-seed42-128975')).toBe('synthetic-seed42-128975');
    expect(() => checkDatasetId('x'.repeat(200))).toThrow(/"x{40}…" is not a dataset id/);
    expect(checkNotFlag('--source', '/data/a b.csv')).toBe('/data/a b.csv');
    for (const bad of ['', '-', ' --x', 'a\nb'])
      expect(() => checkNotFlag('--source', bad)).toThrow(/--source must be/);
  });
});

describe('the lander builds lake keys only from a valid dataset id', () => {
  const event = (dataset: string) => {
    const c = toEvent([...sampleFields], 2, dataset, 's3://b/raw.csv');
    if (!c.ok) throw new Error('not an event');
    return Buffer.from(JSON.stringify(c.event));
  };

  it('routes a good id and refuses one with a slash or dots, on the fast and the full path', () => {
    expect(scanEvent(event('kaggle-sample'))?.dataset).toBe('kaggle-sample');
    for (const bad of ['a/b', '..', 'dataset=x/dt=2022-04-30', 'UPPER']) {
      expect(scanEvent(event(bad))).toBeNull();
      expect(checkEvent(event(bad).toString('utf8')).ok).toBe(false);
    }
  });
});
