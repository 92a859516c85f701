import {
  CreateJobCommand,
  EntityNotFoundException,
  GetJobCommand,
  GetJobRunCommand,
  GetJobRunsCommand,
  GlueClient,
  StartJobRunCommand,
  UpdateJobCommand,
  type Job,
  type JobRun as SdkJobRun,
} from '@aws-sdk/client-glue';

/** The part of a Glue job definition the pipeline manages (everything else keeps Glue's default). */
export interface JobDefinition {
  name: string;
  role: string;
  scriptLocation: string;
  glueVersion: string;
  workerType: string;
  numberOfWorkers: number;
  timeoutMinutes: number;
  maxConcurrentRuns: number;
  defaultArguments: Record<string, string>;
  description: string;
}

export type JobRunState =
  | 'STARTING'
  | 'RUNNING'
  | 'STOPPING'
  | 'STOPPED'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMEOUT'
  | 'ERROR'
  | 'WAITING'
  | 'EXPIRED';

export interface JobRun {
  id: string;
  state: JobRunState;
  arguments: Record<string, string>;
  errorMessage?: string | undefined;
  startedOn?: Date | undefined;
  executionTimeSeconds?: number | undefined;
  dpuSeconds?: number | undefined;
}

/**
 * The few Glue calls the glue-transform step makes. Small on purpose: unit tests drive every run
 * state through a fake, integration tests run it against moto server's Glue API.
 */
export interface GlueApi {
  getJob(name: string): Promise<JobDefinition | undefined>;
  createJob(job: JobDefinition): Promise<void>;
  updateJob(job: JobDefinition): Promise<void>;
  startJobRun(name: string, args: Record<string, string>): Promise<string>;
  getJobRun(name: string, runId: string): Promise<JobRun>;
  /** Most recent runs first, at most `limit` of them. */
  getJobRuns(name: string, limit: number): Promise<JobRun[]>;
}

function toDefinition(job: Job): JobDefinition {
  return {
    name: job.Name ?? '',
    role: job.Role ?? '',
    scriptLocation: job.Command?.ScriptLocation ?? '',
    glueVersion: job.GlueVersion ?? '',
    workerType: job.WorkerType ?? '',
    numberOfWorkers: job.NumberOfWorkers ?? 0,
    timeoutMinutes: job.Timeout ?? 0,
    maxConcurrentRuns: job.ExecutionProperty?.MaxConcurrentRuns ?? 1,
    defaultArguments: job.DefaultArguments ?? {},
    description: job.Description ?? '',
  };
}

function toRun(run: SdkJobRun): JobRun {
  return {
    id: run.Id ?? '',
    state: (run.JobRunState ?? 'ERROR') as JobRunState,
    arguments: run.Arguments ?? {},
    errorMessage: run.ErrorMessage,
    startedOn: run.StartedOn,
    executionTimeSeconds: run.ExecutionTime,
    dpuSeconds: run.DPUSeconds,
  };
}

function jobInput(job: JobDefinition) {
  return {
    Role: job.role,
    Description: job.description,
    Command: { Name: 'glueetl', ScriptLocation: job.scriptLocation, PythonVersion: '3' },
    GlueVersion: job.glueVersion,
    WorkerType: job.workerType as never,
    NumberOfWorkers: job.numberOfWorkers,
    Timeout: job.timeoutMinutes,
    ExecutionProperty: { MaxConcurrentRuns: job.maxConcurrentRuns },
    DefaultArguments: job.defaultArguments,
  };
}

/** GlueApi over the AWS SDK client (real Glue, or moto when the client has its endpoint). */
export function sdkGlueApi(client: GlueClient): GlueApi {
  return {
    async getJob(name) {
      try {
        const out = await client.send(new GetJobCommand({ JobName: name }));
        return out.Job ? toDefinition(out.Job) : undefined;
      } catch (error) {
        if (error instanceof EntityNotFoundException || (error as Error).name === 'EntityNotFoundException') {
          return undefined;
        }
        throw error;
      }
    },
    async createJob(job) {
      await client.send(new CreateJobCommand({ Name: job.name, ...jobInput(job) }));
    },
    async updateJob(job) {
      await client.send(new UpdateJobCommand({ JobName: job.name, JobUpdate: jobInput(job) }));
    },
    async startJobRun(name, args) {
      const out = await client.send(new StartJobRunCommand({ JobName: name, Arguments: args }));
      return out.JobRunId ?? '';
    },
    async getJobRun(name, runId) {
      const out = await client.send(new GetJobRunCommand({ JobName: name, RunId: runId }));
      return toRun(out.JobRun ?? {});
    },
    async getJobRuns(name, limit) {
      const runs: JobRun[] = [];
      let token: string | undefined;
      do {
        const out = await client.send(
          new GetJobRunsCommand({ JobName: name, NextToken: token, MaxResults: Math.min(200, limit) }),
        );
        runs.push(...(out.JobRuns ?? []).map(toRun));
        token = out.NextToken;
      } while (token && runs.length < limit);
      return runs.slice(0, limit);
    },
  };
}

/** The SDK client; `endpoint` points it at an emulator (moto server) instead of AWS. */
export function createGlueClient(region: string, endpoint?: string): GlueClient {
  return new GlueClient({ region, ...(endpoint ? { endpoint } : {}) });
}
