import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { ConfigError } from './errors';
import { stackHome } from './paths';

/**
 * Configuration, parsed once at start: flags > environment > the generated local env file > defaults.
 * Both profiles share one shape; only the clients built from it differ.
 */
const Profile = z.enum(['local', 'aws']);
const LogLevel = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);
const port = z.coerce.number().int().min(1).max(65_535);
const csv = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string()).min(1));
/** Brokers, hosts: a step needs them only when it builds that client (see `requireSetting`). */
const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);
const bool = z.enum(['true', 'false', '1', '0']).transform((s) => s === 'true' || s === '1');

/**
 * Kafka authentication (docs/ingest.md, MSK): none, SASL/SCRAM (user and password; the password is
 * never a literal in config: an env variable filled from a Kubernetes Secret, or a mounted secret
 * file named by KAFKA_SASL_PASSWORD_FILE), or AWS IAM (SASL/OAUTHBEARER with a SigV4-signed token
 * from the default credential chain, i.e. the pod's IRSA role: no secret at all).
 */
const KafkaSasl = z.object({
  mechanism: z.enum(['none', 'scram-sha-256', 'scram-sha-512', 'aws-iam']),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  passwordFile: z.string().min(1).optional(),
  region: z.string(),
});

function checkKafkaSasl(k: { ssl: boolean; sasl: z.infer<typeof KafkaSasl> }, ctx: z.RefinementCtx): void {
  const { mechanism, username, password, passwordFile, region } = k.sasl;
  const problem = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (mechanism.startsWith('scram')) {
    if (!username) problem(['sasl', 'username'], `required with ${mechanism}`);
    if (!password === !passwordFile) {
      problem(
        ['sasl', 'passwordFile'],
        `${mechanism} needs exactly one of KAFKA_SASL_PASSWORD_FILE or KAFKA_SASL_PASSWORD`,
      );
    }
  } else if (username || password || passwordFile) {
    problem(['sasl', 'mechanism'], `a SASL user or password is set, but the mechanism is ${mechanism}`);
  }
  if (mechanism === 'aws-iam' && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    problem(['sasl', 'region'], 'an AWS region such as eu-west-1');
  }
  // MSK only offers SASL over TLS; sending a SCRAM exchange or an IAM token in clear is refused.
  if (mechanism !== 'none' && !k.ssl) problem(['ssl'], `must be true with KAFKA_SASL_MECHANISM=${mechanism}`);
}

export const ConfigSchema = z.object({
  profile: Profile,
  logLevel: LogLevel,
  runId: z.string().regex(/^[A-Za-z0-9._:+-]{1,128}$/, 'letters, digits and ._:+- only'),
  xcomPath: z.string().min(1),
  s3: z.object({
    endpoint: z.url().optional(),
    region: z.string().min(1),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a valid S3 bucket name'),
    accessKeyId: z.string().min(1).optional(),
    secretAccessKey: z.string().min(1).optional(),
    /** Seconds the step's final result write may take before the step gives up on the S3 store. */
    resultTimeoutSeconds: z.coerce.number().positive().max(3600),
  }),
  kafka: z
    .object({
      brokers: list,
      clientId: z.string().min(1),
      ssl: bool,
      /** A PEM file of extra CA certificates for TLS (a private CA); the system's are used otherwise. */
      caFile: z.string().min(1).optional(),
      sasl: KafkaSasl,
    })
    .superRefine(checkKafkaSasl),
  warehouse: z.object({
    host: z.string(),
    port,
    database: z.string().min(1),
    user: z.string().min(1),
    password: z.string().min(1).optional(),
    ssl: bool,
    /** Schema of the star schema; tests and benchmarks build throwaway ones beside `sales`. */
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case SQL identifier'),
    /** IAM role Redshift assumes to COPY silver from S3 (aws profile only). */
    copyRoleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'an IAM role ARN')
      .optional(),
  }),
  smtp: z.object({
    host: z.string(),
    port,
    secure: bool,
    from: z.string().min(3),
    to: csv,
    user: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
  }),
});
export type Config = z.infer<typeof ConfigSchema>;

/** Flags that override the environment (yargs hands these in). */
export interface ConfigFlags {
  profile?: string | undefined;
  logLevel?: string | undefined;
  runId?: string | undefined;
  xcomPath?: string | undefined;
}

/** The git-ignored file that `make setup` writes: repo/.local/env (from src/ or dist/ alike), or $STACK_HOME/env. */
export const defaultEnvFile = `${stackHome}/env`;

/** Reads KEY=VALUE lines of the local env file; a missing file is no error (the aws profile has none). */
export function readEnvFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
}

const localDefaults: Record<string, string> = {
  S3_ENDPOINT: 'http://127.0.0.1:19000',
  KAFKA_BROKERS: '127.0.0.1:19092',
  PGHOST: '127.0.0.1',
  PGPORT: '15432',
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: '11025',
};

/**
 * Builds the typed configuration. Every problem is reported at once, naming the variable.
 * Secrets have no defaults: a client that needs one fails fast through `requireSecret`.
 * @throws ConfigError listing every invalid setting.
 */
export function loadConfig(flags: ConfigFlags, processEnv: NodeJS.ProcessEnv, defaultRunId: string): Config {
  const profile = flags.profile ?? processEnv.PIPELINE_PROFILE ?? 'local';
  const fileEnv = profile === 'local' ? readEnvFile(processEnv.SALES_PIPELINE_ENV_FILE ?? defaultEnvFile) : {};
  const env: Record<string, string | undefined> = {
    ...(profile === 'local' ? localDefaults : {}),
    ...fileEnv,
    ...processEnv,
  };
  const raw = {
    profile,
    logLevel: flags.logLevel ?? env.LOG_LEVEL ?? 'info',
    runId: flags.runId ?? env.RUN_ID ?? defaultRunId,
    xcomPath: flags.xcomPath ?? env.XCOM_PATH ?? '/airflow/xcom/return.json',
    s3: {
      endpoint: env.S3_ENDPOINT || undefined,
      region: env.S3_REGION ?? env.AWS_REGION ?? 'us-east-1',
      bucket: env.S3_BUCKET ?? 'sales-pipeline',
      // The local store has its own keys; on AWS the SDK's default credential chain is used.
      accessKeyId: profile === 'local' ? env.S3_ACCESS_KEY_ID : undefined,
      secretAccessKey: profile === 'local' ? env.S3_SECRET_ACCESS_KEY : undefined,
      resultTimeoutSeconds: env.S3_RESULT_TIMEOUT_SECONDS ?? '30',
    },
    kafka: {
      brokers: env.KAFKA_BROKERS ?? '',
      clientId: env.KAFKA_CLIENT_ID ?? 'sales-pipeline',
      ssl: env.KAFKA_SSL ?? (profile === 'aws' ? 'true' : 'false'),
      caFile: env.KAFKA_SSL_CA_FILE || undefined,
      sasl: {
        mechanism: env.KAFKA_SASL_MECHANISM || 'none',
        username: env.KAFKA_SASL_USERNAME || undefined,
        password: env.KAFKA_SASL_PASSWORD || undefined,
        passwordFile: env.KAFKA_SASL_PASSWORD_FILE || undefined,
        region: env.KAFKA_AWS_REGION ?? env.AWS_REGION ?? env.S3_REGION ?? 'us-east-1',
      },
    },
    warehouse: {
      host: env.PGHOST ?? env.WAREHOUSE_HOST ?? '',
      port: env.PGPORT ?? env.WAREHOUSE_PORT ?? (profile === 'aws' ? '5439' : '15432'),
      database: env.WAREHOUSE_DB ?? 'warehouse',
      user: env.WAREHOUSE_USER ?? 'pipeline',
      password: env.WAREHOUSE_PASSWORD || undefined,
      ssl: env.WAREHOUSE_SSL ?? (profile === 'aws' ? 'true' : 'false'),
      schema: env.WAREHOUSE_SCHEMA ?? 'sales',
      copyRoleArn: env.REDSHIFT_COPY_ROLE_ARN || undefined,
    },
    smtp: {
      host: env.SMTP_HOST ?? '',
      port: env.SMTP_PORT ?? '587',
      secure: env.SMTP_SECURE ?? 'false',
      from: env.ALERT_EMAIL_FROM ?? 'sales-pipeline@localhost',
      to: env.ALERT_EMAIL_TO ?? 'data-team@localhost',
      user: env.SMTP_USER || undefined,
      password: env.SMTP_PASSWORD || undefined,
    },
  };
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${settingName(i.path)}: ${i.message}`);
    throw new ConfigError(`invalid configuration (profile ${profile}):\n${problems.join('\n')}`);
  }
  if (parsed.data.profile === 'local' && !parsed.data.s3.endpoint) {
    throw new ConfigError('S3_ENDPOINT must be set for the local profile');
  }
  return parsed.data;
}

const variableOf: Record<string, string> = {
  profile: '--profile / PIPELINE_PROFILE',
  logLevel: '--log-level / LOG_LEVEL',
  runId: '--run-id / RUN_ID',
  xcomPath: '--xcom-path / XCOM_PATH',
  's3.endpoint': 'S3_ENDPOINT',
  's3.region': 'S3_REGION',
  's3.bucket': 'S3_BUCKET',
  's3.accessKeyId': 'S3_ACCESS_KEY_ID',
  's3.secretAccessKey': 'S3_SECRET_ACCESS_KEY',
  's3.resultTimeoutSeconds': 'S3_RESULT_TIMEOUT_SECONDS',
  'kafka.brokers': 'KAFKA_BROKERS',
  'kafka.clientId': 'KAFKA_CLIENT_ID',
  'kafka.ssl': 'KAFKA_SSL',
  'kafka.caFile': 'KAFKA_SSL_CA_FILE',
  'kafka.sasl.mechanism': 'KAFKA_SASL_MECHANISM',
  'kafka.sasl.username': 'KAFKA_SASL_USERNAME',
  'kafka.sasl.password': 'KAFKA_SASL_PASSWORD',
  'kafka.sasl.passwordFile': 'KAFKA_SASL_PASSWORD_FILE',
  'kafka.sasl.region': 'KAFKA_AWS_REGION',
  'warehouse.host': 'PGHOST',
  'warehouse.port': 'PGPORT',
  'warehouse.database': 'WAREHOUSE_DB',
  'warehouse.user': 'WAREHOUSE_USER',
  'warehouse.password': 'WAREHOUSE_PASSWORD',
  'warehouse.ssl': 'WAREHOUSE_SSL',
  'warehouse.schema': 'WAREHOUSE_SCHEMA',
  'warehouse.copyRoleArn': 'REDSHIFT_COPY_ROLE_ARN',
  'smtp.host': 'SMTP_HOST',
  'smtp.port': 'SMTP_PORT',
  'smtp.secure': 'SMTP_SECURE',
  'smtp.from': 'ALERT_EMAIL_FROM',
  'smtp.to': 'ALERT_EMAIL_TO',
  'smtp.user': 'SMTP_USER',
  'smtp.password': 'SMTP_PASSWORD',
};

function settingName(p: PropertyKey[]): string {
  const key = p.map(String).join('.');
  return variableOf[key] ?? key;
}

/**
 * Returns a secret or fails naming the variable to set. Secrets never default to "".
 * @throws ConfigError when the value is missing.
 */
export function requireSecret(value: string | undefined, variable: string, profile: string): string {
  if (value) return value;
  const hint = profile === 'local' ? ' (run `make setup` to generate local credentials)' : '';
  throw new ConfigError(`${variable} is not set${hint}`);
}

/**
 * Returns a service setting a client needs, or fails naming the variable. Each setting is checked
 * only by the client that uses it, so a step that never talks to Kafka (say) runs without it.
 * @throws ConfigError when the value is empty.
 */
export function requireSetting<T extends string | string[]>(value: T, variable: string, profile: string): T {
  if (value.length) return value;
  const hint = profile === 'local' ? ' (run `make setup` to generate the local settings)' : '';
  throw new ConfigError(`${variable} is not set${hint}`);
}
