import { GetJobCommand, GetJobRunsCommand, type GlueClient } from '@aws-sdk/client-glue';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import path from 'node:path';
import { createGlueClient, sdkGlueApi, type GlueApi } from '../../src/clients/glue';
import { loadGlueSettings } from '../../src/clients/glue-settings';
import { InputRejectedError, ServiceError } from '../../src/errors';
import { createLogger } from '../../src/logger';
import { runOnGlue } from '../../src/commands/glue-transform/glue-run';
import { packageJob } from '../../src/commands/glue-transform/package';
import { repoRoot } from '../../src/paths';
import { startMoto, type Moto } from './moto';
import { runStepCli, uniqueSuffix } from './helpers';

// moto server emulates Glue's control plane (jobs, runs, their states) and S3; it never runs the
// script. The job's own behaviour is tested on local Spark (glue-transform.test.ts, tests/glue).
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const pkg = packageJob(path.join(repoRoot, 'glue', 'jobs'));

describe('glue-transform --profile aws against moto server', () => {
  let moto: Moto;
  let glueClient: GlueClient;
  let s3: S3Client;
  const bucket = `glue-${uniqueSuffix()}`;

  beforeAll(async () => {
    moto = await startMoto();
    await moto.setGlueRunProgression({ progression: 'manual', times: 1 });
    process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    glueClient = createGlueClient('us-east-1', moto.endpoint);
    s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }, 60_000);
  afterAll(async () => {
    glueClient?.destroy();
    s3?.destroy();
    await moto?.stop();
  });

  function settingsFor(jobName: string) {
    return loadGlueSettings(
      { jobName },
      { GLUE_ROLE_ARN: 'arn:aws:iam::123456789012:role/glue', GLUE_POLL_INITIAL_SECONDS: '0' },
    );
  }
  function deps(glue: GlueApi = sdkGlueApi(glueClient)) {
    return {
      glue,
      upload: async (key: string, body: Buffer) => {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      },
      logger: createLogger('silent'),
      signal: new AbortController().signal,
    };
  }
  const request = (dt: string) => ({ dataset: 'kaggle-sample', dt, to: dt, runId: `run-${uniqueSuffix()}` });

  it('creates the job from the repo, starts a run with the date arguments and waits for SUCCEEDED', async () => {
    const jobName = `job-${uniqueSuffix()}`;
    const out = await runOnGlue(deps(), settingsFor(jobName), bucket, pkg, request('2022-04-30'));
    expect(out).toMatchObject({ job: 'created', attached: false, run: { state: 'SUCCEEDED' } });

    const job = (await glueClient.send(new GetJobCommand({ JobName: jobName }))).Job!;
    expect(job).toMatchObject({
      GlueVersion: '5.0',
      WorkerType: 'G.1X',
      NumberOfWorkers: 2,
      Command: { Name: 'glueetl' },
    });
    expect(job.DefaultArguments).toMatchObject({
      '--job-bookmark-option': 'job-bookmark-disable',
      '--lake_root': `s3://${bucket}`,
    });
    const scriptKey = job.Command!.ScriptLocation!.replace(`s3://${bucket}/`, '');
    const uploaded = await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: scriptKey }))
    ).Body!.transformToString();
    expect(uploaded).toBe(pkg.script.toString());
    const runs = (await glueClient.send(new GetJobRunsCommand({ JobName: jobName }))).JobRuns!;
    expect(runs.map((r) => [r.Arguments?.['--dt'], r.Arguments?.['--to']])).toEqual([['2022-04-30', '2022-04-30']]);

    // A second call with the same repo leaves the definition alone.
    expect((await runOnGlue(deps(), settingsFor(jobName), bucket, pkg, request('2022-04-29'))).job).toBe('unchanged');
  });

  it('on an Airflow retry, waits on the run still going for the same date instead of starting a second one', async () => {
    const jobName = `job-${uniqueSuffix()}`;
    const settings = settingsFor(jobName);
    const api = sdkGlueApi(glueClient);
    // Each listing advances moto's runs too: let this one need 3 looks per state, as a real run would.
    await moto.setGlueRunProgression({ progression: 'manual', times: 3 });
    // The first attempt: created the job, started the run, saw it running, then its pod was killed.
    await runOnGlue(
      {
        ...deps(),
        glue: {
          ...api,
          getJobRun: async () => {
            throw new Error('pod killed');
          },
        },
      },
      settings,
      bucket,
      pkg,
      request('2022-04-30'),
    ).catch(() => undefined);
    const [first] = await api.getJobRuns(jobName, 10);
    expect(['STARTING', 'RUNNING']).toContain(first!.state);

    const retry = await runOnGlue(deps(), settings, bucket, pkg, request('2022-04-30'));
    expect(retry).toMatchObject({ attached: true, run: { id: first!.id, state: 'SUCCEEDED' } });
    expect(await api.getJobRuns(jobName, 10)).toHaveLength(1);
    await moto.setGlueRunProgression({ progression: 'manual', times: 1 });
  });

  it.each([
    ['FAILED', 'An error occurred while calling o97.parquet. Path does not exist', ServiceError],
    ['TIMEOUT', 'Job run timed out after 60 minutes', ServiceError],
    [
      'FAILED',
      '[input-rejected] SchemaDriftError: bronze dataset=kaggle-sample dt=2022-04-30: schema drift',
      InputRejectedError,
    ],
  ] as const)(
    'fails with Glue’s error message when the run ends %s (moto run, end state injected)',
    async (state, message, type) => {
      // moto's runs always succeed; the end state is injected on top of its real responses.
      const api = sdkGlueApi(glueClient);
      const failing: GlueApi = {
        ...api,
        getJobRun: async (name, id) => {
          const run = await api.getJobRun(name, id);
          return run.state === 'SUCCEEDED' ? { ...run, state, errorMessage: message } : run;
        },
      };
      const error = await runOnGlue(
        deps(failing),
        settingsFor(`job-${uniqueSuffix()}`),
        bucket,
        pkg,
        request('2022-04-30'),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(type);
      expect((error as Error).message).toMatch(new RegExp(`ended ${state}: ${message.replace(/[[\]]/g, '\\$&')}$`));
    },
  );

  it('as a CLI step: maps the run and the partition manifests into the result JSON', async () => {
    const runId = `itest-aws-${uniqueSuffix()}`;
    const manifest = {
      dataset: 'kaggle-sample',
      dt: '2022-04-30',
      run_id: runId,
      bronze_rows: 10,
      redelivered_rows: 1,
      duplicate_rows: 1,
      quarantined_rows: 1,
      silver_rows: 7,
      silver_amount_sum: '700.00',
      silver_realised_sum: '600.00',
      silver_gross_sum: '700.00',
      silver_lost_sum: '100.00',
      files: ['lake/silver/x.parquet'],
      quarantine_files: [],
      row_set_sha256: 'f'.repeat(64),
      buckets: {},
      quarantine_rules: { status_bucket: 1, duplicate_key: 1 },
      dq_flags: {},
    };
    // What the job would have written (moto does not run it).
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'lake/silver/order_lines/dataset=kaggle-sample/dt=2022-04-30/_manifest.json',
        Body: JSON.stringify(manifest),
      }),
    );
    const { code, result } = await runStepCli(
      [
        'glue-transform',
        '--dt',
        '2022-04-30',
        '--profile',
        'aws',
        '--run-id',
        runId,
        '--job-name',
        `cli-${uniqueSuffix()}`,
        // 1 of 10 rows quarantined is over the default 5 % share; this test is about the mapping.
        '--max-quarantine-share=0.2',
      ],
      {
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_REGION: 'us-east-1',
        S3_BUCKET: bucket,
        GLUE_ENDPOINT: moto.endpoint,
        GLUE_ROLE_ARN: 'arn:aws:iam::123456789012:role/glue',
        GLUE_POLL_INITIAL_SECONDS: '0',
        // The aws profile's config wants every service named; this step talks only to Glue and S3.
        KAFKA_BROKERS: 'b-1.example:9094',
        PGHOST: 'redshift.example',
        SMTP_HOST: 'smtp.example',
      },
    );
    expect(code).toBe(0);
    expect(result).toMatchObject({
      status: 'succeeded',
      profile: 'aws',
      dataset: 'kaggle-sample',
      counts: {
        bronze_rows: 10,
        silver_rows: 7,
        quarantined_rows: 1,
        duplicate_rows: 1,
        redelivered_rows: 1,
        dates: 1,
      },
      details: { sums: { silver_realised_sum: '600.00' }, glue: { job: 'created', attachedToRunningRun: false } },
    });
    expect(result.details.glue.jobRunId).toMatch(/^jr_/);
  });
});
