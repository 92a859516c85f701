import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors';
import { repoRoot } from '../paths';

/**
 * Settings of the transform, read once at the start of glue-transform from flags and the
 * environment. `aws` needs a role for Glue; `local` needs nothing beyond `make setup`.
 */
const Settings = z.object({
  jobName: z.string().regex(/^[A-Za-z0-9_.-]{1,255}$/, 'letters, digits and _.- only'),
  roleArn: z.string().min(1).optional(),
  glueVersion: z.string().regex(/^\d+\.\d+$/),
  workerType: z.enum(['G.1X', 'G.2X', 'G.4X', 'G.8X', 'G.025X']),
  workers: z.coerce.number().int().min(2).max(299),
  timeoutMinutes: z.coerce.number().int().min(1).max(2880),
  maxConcurrentRuns: z.coerce.number().int().min(1).max(100),
  /** Where the script and the zipped package are uploaded: s3://<bucket>/<prefix>/<content hash>/. */
  scriptsPrefix: z.string().min(1),
  /** Glue API endpoint override (moto server in tests); AWS otherwise. */
  glueEndpoint: z.url().optional(),
  pollInitialSeconds: z.coerce.number().min(0).max(600),
  pollMaxSeconds: z.coerce.number().min(0).max(3600),
  /** The job's source folder: clean_order_lines.py and the order_lines package. */
  jobDir: z.string().min(1),
  sparkSubmit: z.string().min(1),
  sparkMaster: z.string().min(1),
  sparkDriverMemory: z.string().regex(/^\d+[mg]$/),
  /** Comma-separated jars for s3a; default: what stack/spark.sh installed. */
  sparkJars: z.string().optional(),
});
export type GlueSettings = z.infer<typeof Settings>;

export interface GlueFlags {
  workers?: number | undefined;
  workerType?: string | undefined;
  jobName?: string | undefined;
}

const variableOf: Record<string, string> = {
  jobName: '--job-name / GLUE_JOB_NAME',
  roleArn: 'GLUE_ROLE_ARN',
  glueVersion: 'GLUE_VERSION',
  workerType: '--worker-type / GLUE_WORKER_TYPE',
  workers: '--workers / GLUE_WORKERS',
  timeoutMinutes: 'GLUE_TIMEOUT_MINUTES',
  maxConcurrentRuns: 'GLUE_MAX_CONCURRENT_RUNS',
  scriptsPrefix: 'GLUE_SCRIPTS_PREFIX',
  glueEndpoint: 'GLUE_ENDPOINT',
  pollInitialSeconds: 'GLUE_POLL_INITIAL_SECONDS',
  pollMaxSeconds: 'GLUE_POLL_MAX_SECONDS',
  jobDir: 'GLUE_JOB_DIR',
  sparkSubmit: 'SPARK_SUBMIT',
  sparkMaster: 'SPARK_MASTER',
  sparkDriverMemory: 'SPARK_DRIVER_MEMORY',
  sparkJars: 'SPARK_S3A_JARS',
};

/**
 * Parses the settings; every problem is reported at once, naming the variable.
 * @throws ConfigError
 */
export function loadGlueSettings(flags: GlueFlags, env: NodeJS.ProcessEnv): GlueSettings {
  const raw = {
    jobName: flags.jobName ?? env.GLUE_JOB_NAME ?? 'sales-pipeline-clean-order-lines',
    roleArn: env.GLUE_ROLE_ARN || undefined,
    glueVersion: env.GLUE_VERSION ?? '5.0',
    workerType: flags.workerType ?? env.GLUE_WORKER_TYPE ?? 'G.1X',
    workers: flags.workers ?? env.GLUE_WORKERS ?? 2,
    timeoutMinutes: env.GLUE_TIMEOUT_MINUTES ?? 60,
    maxConcurrentRuns: env.GLUE_MAX_CONCURRENT_RUNS ?? 4,
    scriptsPrefix: (env.GLUE_SCRIPTS_PREFIX ?? 'glue/jobs').replace(/^\/+|\/+$/g, ''),
    glueEndpoint: env.GLUE_ENDPOINT || undefined,
    pollInitialSeconds: env.GLUE_POLL_INITIAL_SECONDS ?? 5,
    pollMaxSeconds: env.GLUE_POLL_MAX_SECONDS ?? 60,
    jobDir: env.GLUE_JOB_DIR ?? path.join(repoRoot, 'glue', 'jobs'),
    sparkSubmit: env.SPARK_SUBMIT ?? path.join(repoRoot, '.venv', 'bin', 'spark-submit'),
    sparkMaster: env.SPARK_MASTER ?? 'local[2]',
    sparkDriverMemory: env.SPARK_DRIVER_MEMORY ?? '2g',
    sparkJars: env.SPARK_S3A_JARS || undefined,
  };
  const parsed = Settings.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `  - ${variableOf[String(i.path[0])] ?? i.path.join('.')}: ${i.message}`,
    );
    throw new ConfigError(`invalid glue-transform settings:\n${problems.join('\n')}`);
  }
  return parsed.data;
}
