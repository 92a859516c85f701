import { spawn } from 'node:child_process';
import path from 'node:path';
import type { GlueSettings } from '../../clients/glue-settings';
import type { Logger } from '../../logger';
import { repoRoot } from '../../paths';
import { jobArguments, type TransformRequest } from './request';

export interface LocalStore {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SparkLaunch {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/**
 * The spark-submit call that runs the Glue script on local Spark against the local S3 store (s3a).
 * Credentials travel in the child's environment, never on its command line (visible in `ps`).
 */
export function sparkSubmitLaunch(
  settings: GlueSettings,
  store: LocalStore,
  zipPath: string,
  jars: string,
  req: TransformRequest,
  baseEnv: NodeJS.ProcessEnv = process.env,
  cdsArchive?: string,
): SparkLaunch {
  const venvBin = path.dirname(settings.sparkSubmit);
  const hadoop: Record<string, string> = {
    'fs.s3a.endpoint': store.endpoint,
    'fs.s3a.endpoint.region': store.region,
    'fs.s3a.path.style.access': 'true',
    'fs.s3a.connection.ssl.enabled': store.endpoint.startsWith('https:') ? 'true' : 'false',
    'fs.s3a.aws.credentials.provider': 'software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider',
  };
  const conf: Record<string, string> = {
    // Loopback only, no web UI: this machine's services listen on 127.0.0.1 alone.
    'spark.ui.enabled': 'false',
    'spark.driver.bindAddress': '127.0.0.1',
    'spark.driver.host': '127.0.0.1',
    'spark.sql.shuffle.partitions': '8',
    'spark.sql.session.timeZone': 'UTC',
    ...Object.fromEntries(Object.entries(hadoop).map(([k, v]) => [`spark.hadoop.${k}`, v])),
  };
  const args = [
    '--master',
    settings.sparkMaster,
    '--name',
    `glue-transform ${req.dataset} ${req.dt}..${req.to}`,
    '--driver-memory',
    settings.sparkDriverMemory,
    '--driver-java-options',
    [
      `-Dlog4j2.configurationFile=file:${path.join(repoRoot, 'stack', 'spark', 'log4j2.properties')}`,
      // Classes mapped from the archive instead of loaded from ~300 jars; a stale archive is ignored.
      ...(cdsArchive ? [`-XX:SharedArchiveFile=${cdsArchive}`, '-Xshare:auto'] : []),
    ].join(' '),
    '--jars',
    jars,
    ...Object.entries(conf).flatMap(([k, v]) => ['--conf', `${k}=${v}`]),
    '--py-files',
    zipPath,
    path.join(settings.jobDir, 'clean_order_lines.py'),
    '--JOB_NAME',
    'glue-transform',
    ...Object.entries({ ...jobArguments(req), '--lake_root': `s3a://${store.bucket}` }).flat(),
  ];
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    PATH: `${venvBin}${path.delimiter}${baseEnv.PATH ?? ''}`,
    PYSPARK_PYTHON: path.join(venvBin, 'python'),
    PYSPARK_DRIVER_PYTHON: path.join(venvBin, 'python'),
    SPARK_LOCAL_IP: '127.0.0.1',
    AWS_ACCESS_KEY_ID: store.accessKeyId,
    AWS_SECRET_ACCESS_KEY: store.secretAccessKey,
    AWS_REGION: store.region,
  };
  // Never let pyspark fetch a Spark distribution, nor a stray SPARK_HOME pick other jars.
  delete env.PYSPARK_HADOOP_VERSION;
  delete env.SPARK_HOME;
  return { command: settings.sparkSubmit, args, env };
}

export type JobLine =
  | { kind: 'progress'; payload: Record<string, unknown> }
  | { kind: 'summary'; payload: Record<string, unknown> }
  | { kind: 'error'; payload: { error: string; message: string; rejected: boolean } };

const KINDS: Record<string, JobLine['kind']> = {
  GLUE_TRANSFORM_PROGRESS: 'progress',
  GLUE_TRANSFORM_SUMMARY: 'summary',
  GLUE_TRANSFORM_ERROR: 'error',
};

/** Recognises the job's own report lines (`GLUE_TRANSFORM_<KIND> {json}`) among Spark's output. */
export function parseJobLine(line: string): JobLine | undefined {
  const m = /^(GLUE_TRANSFORM_[A-Z]+) (\{.*\})\s*$/.exec(line);
  const kind = m ? KINDS[m[1]!] : undefined;
  if (!kind) return undefined;
  try {
    return { kind, payload: JSON.parse(m![2]!) } as JobLine;
  } catch {
    return undefined;
  }
}

export interface SparkOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  summary?: Record<string, unknown> | undefined;
  error?: { error: string; message: string; rejected: boolean } | undefined;
  /** The last lines of Spark's stderr, for the error message of a crash. */
  tail: string[];
}

function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    parts.forEach(onLine);
  });
  stream.on('end', () => rest && onLine(rest));
}

/**
 * A watchdog beside the Spark group (bash: step pid, group id): once the step's process is gone
 * while the group still runs, it stops the group (TERM, then KILL after 10 s). A SIGKILLed step
 * cannot stop its detached Spark itself, and a retry must not run beside a leftover job writing
 * the same run's staging prefix. It ends on its own within a second of the group.
 */
const WATCHDOG = `
step=$1 group=$2
alive() { kill -0 -- "-$group" 2>/dev/null; }
while kill -0 "$step" 2>/dev/null && alive; do sleep 1; done
alive || exit 0
kill -TERM -- "-$group" 2>/dev/null
for _ in 1 2 3 4 5 6 7 8 9 10; do sleep 1; alive || exit 0; done
kill -KILL -- "-$group" 2>/dev/null
`;

/**
 * Runs spark-submit in its own process group, turns the job's report lines into log lines, logs a
 * heartbeat while Spark is quiet, and on abort (SIGTERM of the step) stops the whole group; a
 * watchdog stops it if the step dies without a chance to (SIGKILL).
 */
export function runSparkSubmit(launch: SparkLaunch, logger: Logger, signal: AbortSignal): Promise<SparkOutcome> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(launch.command, launch.args, {
      env: launch.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid) {
      const args = ['-c', WATCHDOG, 'spark-watchdog', String(process.pid), String(child.pid)];
      spawn('bash', args, { detached: true, stdio: 'ignore' }).unref();
    }
    const outcome: SparkOutcome = { exitCode: null, signal: null, tail: [] };
    const heartbeat = setInterval(
      () => logger.info({ elapsedSeconds: Math.round((Date.now() - started) / 1000) }, 'spark job running'),
      15_000,
    );
    const stop = () => {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    };
    signal.addEventListener('abort', stop, { once: true });
    lines(child.stdout!, (line) => {
      const parsed = parseJobLine(line);
      if (parsed?.kind === 'progress') logger.info({ spark: parsed.payload }, `spark: ${String(parsed.payload.phase)}`);
      else if (parsed?.kind === 'summary') outcome.summary = parsed.payload;
      else if (parsed?.kind === 'error') outcome.error = parsed.payload;
      else if (line.trim()) logger.debug({ stdout: line }, 'spark output');
    });
    lines(child.stderr!, (line) => {
      outcome.tail.push(line);
      if (outcome.tail.length > 40) outcome.tail.shift();
      if (/^\S+ \S+ (ERROR|WARN) /.test(line) || /^(ERROR|WARN) /.test(line)) logger.warn({ spark: line }, 'spark log');
      else logger.debug({ spark: line }, 'spark log');
    });
    child.on('error', (error) => {
      clearInterval(heartbeat);
      reject(error);
    });
    child.on('close', (code, sig) => {
      clearInterval(heartbeat);
      signal.removeEventListener('abort', stop);
      resolve({ ...outcome, exitCode: code, signal: sig });
    });
  });
}
