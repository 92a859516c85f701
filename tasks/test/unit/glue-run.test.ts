import type { GlueApi, JobDefinition, JobRun, JobRunState } from '../../src/clients/glue';
import { loadGlueSettings } from '../../src/clients/glue-settings';
import { InputRejectedError, ServiceError } from '../../src/errors';
import { createLogger } from '../../src/logger';
import { ensureJob, jobDefinition, pollDelayMs, runOnGlue } from '../../src/commands/glue-transform/glue-run';
import type { PackagedJob } from '../../src/commands/glue-transform/package';
import type { TransformRequest } from '../../src/commands/glue-transform/request';

const settings = loadGlueSettings(
  {},
  { GLUE_ROLE_ARN: 'arn:aws:iam::123456789012:role/glue', GLUE_POLL_INITIAL_SECONDS: '1' },
);
const pkg: PackagedJob = {
  script: Buffer.from('print(1)'),
  zip: Buffer.from('zip'),
  files: [],
  sha256: 'ab'.repeat(32),
};
const req: TransformRequest = { dataset: 'kaggle-sample', dt: '2022-04-30', to: '2022-04-30', runId: 'attempt-2' };

/** A Glue that plays back a script of states for each run it starts; it records every call. */
class FakeGlue implements GlueApi {
  job: JobDefinition | undefined;
  runs: (JobRun & { script: JobRunState[]; error?: string })[] = [];
  calls: string[] = [];
  constructor(
    private script: JobRunState[] = ['STARTING', 'RUNNING', 'SUCCEEDED'],
    private error?: string,
  ) {}
  async getJob() {
    this.calls.push('getJob');
    return this.job;
  }
  async createJob(job: JobDefinition) {
    this.calls.push('createJob');
    this.job = job;
  }
  async updateJob(job: JobDefinition) {
    this.calls.push('updateJob');
    this.job = job;
  }
  async startJobRun(_name: string, args: Record<string, string>) {
    this.calls.push('startJobRun');
    const id = `jr_${this.runs.length + 1}`;
    this.runs.push({
      id,
      state: 'STARTING',
      arguments: args,
      script: [...this.script],
      error: this.error,
      startedOn: new Date(),
    });
    return id;
  }
  async getJobRun(_name: string, id: string) {
    this.calls.push('getJobRun');
    const run = this.runs.find((r) => r.id === id)!;
    run.state = run.script.length > 1 ? run.script.shift()! : run.script[0]!;
    const ended = !['STARTING', 'RUNNING', 'WAITING'].includes(run.state);
    return { ...run, errorMessage: ended ? run.error : undefined };
  }
  async getJobRuns() {
    this.calls.push('getJobRuns');
    return this.runs.map((r) => ({ ...r }));
  }
}

function deps(glue: GlueApi, sleeps: number[] = [], uploads: string[] = []) {
  return {
    glue,
    upload: async (key: string) => {
      uploads.push(key);
    },
    logger: createLogger('silent'),
    signal: new AbortController().signal,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
  };
}

describe('glue-transform on AWS Glue (driven through a fake Glue API)', () => {
  it('uploads the script and package, creates the job, starts a run and waits for SUCCEEDED', async () => {
    const glue = new FakeGlue();
    const uploads: string[] = [];
    const out = await runOnGlue(deps(glue, [], uploads), settings, 'bucket', pkg, req);
    expect(out).toMatchObject({ job: 'created', attached: false, run: { id: 'jr_1', state: 'SUCCEEDED' } });
    expect(uploads).toEqual([
      `glue/jobs/${'ab'.repeat(8)}/clean_order_lines.py`,
      `glue/jobs/${'ab'.repeat(8)}/order_lines.zip`,
    ]);
    expect(glue.runs[0]!.arguments).toEqual({
      '--dataset': 'kaggle-sample',
      '--dt': '2022-04-30',
      '--to': '2022-04-30',
      '--run_id': 'attempt-2',
    });
    expect(glue.job).toMatchObject({
      glueVersion: '5.0',
      workerType: 'G.1X',
      numberOfWorkers: 2,
      scriptLocation: `s3://bucket/glue/jobs/${'ab'.repeat(8)}/clean_order_lines.py`,
      defaultArguments: expect.objectContaining({
        '--extra-py-files': `s3://bucket/glue/jobs/${'ab'.repeat(8)}/order_lines.zip`,
        '--job-bookmark-option': 'job-bookmark-disable',
        '--lake_root': 's3://bucket',
      }),
    });
  });

  it.each([
    ['FAILED', 'AnalysisException: Path does not exist'],
    ['TIMEOUT', 'Job run timed out'],
    ['STOPPED', 'Job run stopped by user'],
    ['ERROR', 'Internal service error'],
  ] as const)('fails with Glue’s own message when the run ends %s', async (state, message) => {
    const glue = new FakeGlue(['STARTING', 'RUNNING', state], message);
    const error = await runOnGlue(deps(glue), settings, 'bucket', pkg, req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as Error).message).toBe(
      `Glue job sales-pipeline-clean-order-lines run jr_1 ended ${state}: ${message}`,
    );
  });

  it('maps a run the job failed on purpose (schema drift) to rejected input, exit 1', async () => {
    const drift =
      '[input-rejected] SchemaDriftError: bronze dataset=x dt=2022-04-30: schema drift, missing columns: "line.qty"';
    const glue = new FakeGlue(['RUNNING', 'FAILED'], drift);
    const error = await runOnGlue(deps(glue), settings, 'bucket', pkg, req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputRejectedError);
    expect((error as Error).message).toContain('missing columns: "line.qty"');
  });

  it('on a retry, waits on the run of the same request that is still running instead of starting another', async () => {
    const glue = new FakeGlue(['RUNNING', 'RUNNING', 'SUCCEEDED']);
    await glue.createJob(jobDefinition(settings, 'bucket', pkg));
    await glue.startJobRun('job', {
      '--dataset': 'kaggle-sample',
      '--dt': '2022-04-30',
      '--to': '2022-04-30',
      '--run_id': 'attempt-1',
    });
    await glue.getJobRun('job', 'jr_1'); // the first attempt saw it RUNNING, then its pod died
    glue.calls = [];
    const out = await runOnGlue(deps(glue), settings, 'bucket', pkg, req);
    expect(out).toMatchObject({ attached: true, job: 'unchanged', run: { id: 'jr_1', state: 'SUCCEEDED' } });
    expect(out.run.arguments['--run_id']).toBe('attempt-1');
    expect(glue.calls).not.toContain('startJobRun');
    expect(glue.runs).toHaveLength(1);
  });

  it('starts a new run when the only active run is for other dates, or the same dates ended', async () => {
    const glue = new FakeGlue(['RUNNING']);
    await glue.startJobRun('job', { '--dataset': 'kaggle-sample', '--dt': '2022-04-29', '--to': '2022-04-29' });
    await glue.startJobRun('job', { '--dataset': 'other', '--dt': '2022-04-30', '--to': '2022-04-30' });
    glue.runs.push({
      id: 'jr_old',
      state: 'SUCCEEDED',
      arguments: { '--dataset': 'kaggle-sample', '--dt': '2022-04-30', '--to': '2022-04-30' },
      script: ['SUCCEEDED'],
    });
    glue.runs.forEach((r) => (r.state = r.script[0]!));
    const other = new FakeGlue();
    other.runs = glue.runs;
    const out = await runOnGlue(deps(other), settings, 'bucket', pkg, req);
    expect(out.attached).toBe(false);
    expect(out.run.id).toBe('jr_4');
  });

  it('updates the job only when the repo’s definition changed', async () => {
    const glue = new FakeGlue();
    const wanted = jobDefinition(settings, 'bucket', pkg);
    expect(await ensureJob(glue, wanted)).toBe('created');
    expect(await ensureJob(glue, { ...wanted })).toBe('unchanged');
    expect(await ensureJob(glue, { ...wanted, numberOfWorkers: 4 })).toBe('updated');
    expect(glue.calls.filter((c) => c !== 'getJob')).toEqual(['createJob', 'updateJob']);
  });

  it('polls with growing, capped delays and logs progress', async () => {
    const glue = new FakeGlue(['STARTING', ...Array<JobRunState>(8).fill('RUNNING'), 'SUCCEEDED']);
    const sleeps: number[] = [];
    const s = loadGlueSettings({}, { GLUE_ROLE_ARN: 'r', GLUE_POLL_INITIAL_SECONDS: '2', GLUE_POLL_MAX_SECONDS: '9' });
    await runOnGlue(deps(glue, sleeps), s, 'bucket', pkg, req);
    expect(sleeps).toEqual([2000, 3000, 4500, 6750, 9000, 9000, 9000, 9000, 9000]);
    expect(pollDelayMs(0, 5, 60)).toBe(5000);
  });

  it('stops waiting (without stopping the run) when the step is asked to stop', async () => {
    const glue = new FakeGlue(['RUNNING']);
    const controller = new AbortController();
    const d = { ...deps(glue), signal: controller.signal, sleep: async () => controller.abort(new Error('SIGTERM')) };
    await expect(runOnGlue(d, settings, 'bucket', pkg, req)).rejects.toThrow('SIGTERM');
    expect(glue.runs[0]!.state).toBe('RUNNING');
  });
});
