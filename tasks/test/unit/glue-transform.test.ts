import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGlueSettings } from '../../src/clients/glue-settings';
import { ConfigError, ServiceError } from '../../src/errors';
import { parseJobLine, sparkSubmitLaunch } from '../../src/commands/glue-transform/local-spark';
import { addMoney, totals, type Manifest } from '../../src/commands/glue-transform/manifest';
import { packageJob, zipStored } from '../../src/commands/glue-transform/package';
import { datesOf, jobArguments, sameRequest } from '../../src/commands/glue-transform/request';
import { repoRoot } from '../../src/paths';

const req = { dataset: 'kaggle-sample', dt: '2022-04-27', to: '2022-04-30', runId: 'run-1' };
const store = {
  endpoint: 'http://127.0.0.1:19200',
  region: 'us-east-1',
  bucket: 'sales-pipeline',
  accessKeyId: 'AKIDLOCAL',
  secretAccessKey: 'very-secret',
};

describe('glue-transform, local Spark', () => {
  const settings = loadGlueSettings({}, {});
  const launch = sparkSubmitLaunch(
    settings,
    store,
    '/tmp/order_lines.zip',
    'a.jar,b.jar',
    req,
    { PATH: '/usr/bin' },
    '/c/spark.jsa',
  );

  it('runs the Glue script with Glue-style arguments against the local store through s3a', () => {
    expect(launch.command).toBe(path.join(repoRoot, '.venv', 'bin', 'spark-submit'));
    const a = launch.args;
    expect(a.slice(a.indexOf(path.join(repoRoot, 'glue', 'jobs', 'clean_order_lines.py')) + 1)).toEqual([
      '--JOB_NAME',
      'glue-transform',
      '--dataset',
      'kaggle-sample',
      '--dt',
      '2022-04-27',
      '--to',
      '2022-04-30',
      '--run_id',
      'run-1',
      '--lake_root',
      's3a://sales-pipeline',
    ]);
    expect(a).toEqual(
      expect.arrayContaining(['--master', 'local[2]', '--jars', 'a.jar,b.jar', '--py-files', '/tmp/order_lines.zip']),
    );
    expect(a).toEqual(
      expect.arrayContaining([
        'spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:19200',
        'spark.hadoop.fs.s3a.path.style.access=true',
        'spark.hadoop.fs.s3a.connection.ssl.enabled=false',
      ]),
    );
    expect(a[a.indexOf('--driver-java-options') + 1]).toContain('-XX:SharedArchiveFile=/c/spark.jsa');
  });

  it('keeps every socket on loopback and the web UI off', () => {
    expect(launch.args).toEqual(
      expect.arrayContaining([
        'spark.ui.enabled=false',
        'spark.driver.bindAddress=127.0.0.1',
        'spark.driver.host=127.0.0.1',
      ]),
    );
    expect(launch.env.SPARK_LOCAL_IP).toBe('127.0.0.1');
  });

  it('passes the store credentials in the environment, never on the command line', () => {
    expect(launch.args.join(' ')).not.toContain('very-secret');
    expect(launch.args.join(' ')).not.toContain('AKIDLOCAL');
    expect(launch.env).toMatchObject({ AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'very-secret' });
    expect(launch.env.PATH!.startsWith(path.join(repoRoot, '.venv', 'bin'))).toBe(true);
  });

  it('recognises the job’s report lines among Spark’s output', () => {
    expect(parseJobLine('GLUE_TRANSFORM_PROGRESS {"phase": "plan", "dates": 4}')).toEqual({
      kind: 'progress',
      payload: { phase: 'plan', dates: 4 },
    });
    expect(
      parseJobLine('GLUE_TRANSFORM_ERROR {"error": "NoBronzeError", "message": "m", "rejected": true}')?.kind,
    ).toBe('error');
    expect(parseJobLine('26/11/25 10:00:38 WARN Utils: GLUE_TRANSFORM_SUMMARY {}')).toBeUndefined();
    expect(parseJobLine('GLUE_TRANSFORM_SUMMARY {not json')).toBeUndefined();
  });
});

describe('glue-transform, packaging the job', () => {
  it('zips order_lines so Python imports it and its reference data from the zip (as Glue does)', () => {
    const pkg = packageJob(path.join(repoRoot, 'glue', 'jobs'));
    expect(pkg.files).toEqual(expect.arrayContaining(['order_lines/__init__.py', 'order_lines/reference/states.csv']));
    const dir = mkdtempSync(path.join(tmpdir(), 'pkg-'));
    writeFileSync(path.join(dir, 'order_lines.zip'), pkg.zip);
    const probe = spawnSync(
      'python3',
      [
        '-c',
        'import sys; sys.path.insert(0, sys.argv[1]); from order_lines import reference; r = reference.load(); print(len(r.states), reference.__file__)',
        path.join(dir, 'order_lines.zip'),
      ],
      { encoding: 'utf8' },
    );
    expect(probe.stderr).toBe('');
    expect(probe.stdout.trim()).toBe(`36 ${path.join(dir, 'order_lines.zip', 'order_lines', 'reference.py')}`);
  });

  it('gives the same bytes and hash for the same files', () => {
    const a = packageJob(path.join(repoRoot, 'glue', 'jobs'));
    const b = packageJob(path.join(repoRoot, 'glue', 'jobs'));
    expect(a.zip.equals(b.zip)).toBe(true);
    expect(a.sha256).toBe(b.sha256);
    expect(
      zipStored([{ name: 'x', data: Buffer.from('1') }]).equals(zipStored([{ name: 'x', data: Buffer.from('2') }])),
    ).toBe(false);
  });
});

describe('glue-transform, request and settings', () => {
  it('lists every date of a range and matches runs by dataset and dates, not run id', () => {
    expect(datesOf('2022-04-29', '2022-05-01')).toEqual(['2022-04-29', '2022-04-30', '2022-05-01']);
    const run = { id: 'jr', state: 'RUNNING' as const, arguments: { ...jobArguments(req), '--run_id': 'other' } };
    expect(sameRequest(run, req)).toBe(true);
    expect(sameRequest(run, { ...req, to: '2022-04-29' })).toBe(false);
    expect(sameRequest(run, { ...req, dataset: 'synthetic-seed1-1000' })).toBe(false);
  });

  it('reports every invalid setting at once, naming the variable', () => {
    expect(() => loadGlueSettings({ workers: 1 }, { GLUE_WORKER_TYPE: 'G.9X', GLUE_VERSION: 'five' })).toThrow(
      ConfigError,
    );
    try {
      loadGlueSettings({ workers: 1 }, { GLUE_WORKER_TYPE: 'G.9X', GLUE_VERSION: 'five' });
    } catch (error) {
      expect((error as Error).message).toMatch(/--workers \/ GLUE_WORKERS/);
      expect((error as Error).message).toMatch(/--worker-type \/ GLUE_WORKER_TYPE/);
      expect((error as Error).message).toMatch(/GLUE_VERSION/);
    }
  });
});

function manifest(dt: string, counts: Partial<Manifest> = {}): Manifest {
  return {
    dataset: 'd',
    dt,
    run_id: 'r',
    bronze_rows: 10,
    redelivered_rows: 1,
    duplicate_rows: 1,
    quarantined_rows: 2,
    silver_rows: 6,
    silver_amount_sum: '100.10',
    silver_realised_sum: '50.05',
    silver_gross_sum: '100.10',
    silver_lost_sum: '0.99',
    files: [],
    quarantine_files: [],
    row_set_sha256: null,
    buckets: {},
    quarantine_rules: {},
    dq_flags: {},
    ...counts,
  };
}

describe('glue-transform, manifests', () => {
  it('totals counts and exact decimal sums over the dates', () => {
    expect(totals([manifest('2022-04-29'), manifest('2022-04-30')])).toEqual({
      counts: { bronze_rows: 20, silver_rows: 12, quarantined_rows: 4, duplicate_rows: 2, redelivered_rows: 2 },
      sums: {
        silver_amount_sum: '200.20',
        silver_realised_sum: '100.10',
        silver_gross_sum: '200.20',
        silver_lost_sum: '1.98',
      },
    });
    expect(addMoney('0.10', '0.20')).toBe('0.30');
    expect(addMoney('78592678.30', '-0.31')).toBe('78592677.99');
  });

  it('refuses a manifest whose counts do not reconcile', () => {
    expect(() => totals([manifest('2022-04-30', { silver_rows: 7 })])).toThrow(ServiceError);
    expect(() => totals([manifest('2022-04-30', { silver_rows: 7 })])).toThrow(/bronze 10 != .* = 11/);
  });
});
