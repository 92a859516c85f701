import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../config';
import { ConfigError, ServiceError } from '../errors';
import type { Logger } from '../logger';
import { repoRoot } from '../paths';

/** The site's own package (its own package.json and lock file). */
export const siteDir = path.join(repoRoot, 'dashboards');

/**
 * The build's environment: the warehouse, S3 and Kafka settings of the profile under the names
 * the loaders read, the dataset and the schema of its marts, and the framework's telemetry off.
 * Nothing else is passed on.
 */
export function buildEnv(
  config: Config,
  site: { dataset: string; martsSchema: string },
  out: string,
  base: NodeJS.ProcessEnv = process.env,
) {
  const w = config.warehouse;
  const env: Record<string, string> = {
    PATH: `${path.join(siteDir, 'node_modules/.bin')}${path.delimiter}${base.PATH ?? ''}`,
    HOME: base.HOME ?? '/tmp',
    OBSERVABLE_TELEMETRY_DISABLE: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    NO_COLOR: '1',
    DASHBOARD_DATASET: site.dataset,
    DASHBOARD_MARTS_SCHEMA: site.martsSchema,
    DASHBOARD_OUT: out,
    PGHOST: w.host,
    PGPORT: String(w.port),
    WAREHOUSE_DB: w.database,
    WAREHOUSE_USER: w.user,
    WAREHOUSE_SSL: String(w.ssl),
    WAREHOUSE_SCHEMA: w.schema,
    S3_REGION: config.s3.region,
    S3_BUCKET: config.s3.bucket,
    KAFKA_BROKERS: config.kafka.brokers.join(','),
    KAFKA_SSL: String(config.kafka.ssl),
  };
  if (w.password) env.WAREHOUSE_PASSWORD = w.password;
  if (config.s3.endpoint) env.S3_ENDPOINT = config.s3.endpoint;
  if (config.s3.accessKeyId) env.S3_ACCESS_KEY_ID = config.s3.accessKeyId;
  if (config.s3.secretAccessKey) env.S3_SECRET_ACCESS_KEY = config.s3.secretAccessKey;
  // AWS: the default credential chain of the pod (IRSA) or the shell. The build itself needs no
  // network (observablehq.config.js seeds the framework's npm versions); the proxy and certificate
  // settings are passed on for a page that would import from a CDN on purpose.
  for (const k of [
    'NODE_EXTRA_CA_CERTS',
    'SSL_CERT_FILE',
    'HTTPS_PROXY',
    'HTTP_PROXY',
    'NO_PROXY',
    'https_proxy',
    'http_proxy',
    'no_proxy',
    'AWS_REGION',
    'AWS_PROFILE',
    'AWS_ROLE_ARN',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  ]) {
    if (base[k]) env[k] = base[k]!;
  }
  return env;
}

/** The framework's caches under the site's source folder; `data` holds the loaders' output. */
const cacheDir = (root: string) => path.join(root, 'src', '.observablehq', 'cache');

/**
 * A working copy of the site package for one build, in the temporary folder: its sources and
 * config, the framework's module caches (bundled npm modules), never the loaders' cached output
 * (so the pages show what the warehouse holds now), and a link to the package's node_modules.
 * Every build gets its own, so two at once (the daily and the history DAG, a test beside a DAG
 * run) never clear or overwrite each other's loader output, and a read-only package (a pod's
 * image, whose only writable place is /tmp) builds the same way.
 */
export function workingSite(dir = siteDir, options: { moduleCaches?: boolean } = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'dashboards-site-'));
  // Without the module caches (a test of a build from nothing), the whole cache folder stays behind.
  const left = options.moduleCaches === false ? cacheDir(dir) : path.join(cacheDir(dir), 'data');
  for (const name of ['package.json', 'observablehq.config.js', 'npm-versions.json', 'src', 'lib']) {
    cpSync(path.join(dir, name), path.join(root, name), {
      recursive: true,
      filter: (src) => src !== left && !src.startsWith(left + path.sep),
    });
  }
  symlinkSync(path.join(dir, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return { root, dispose: () => rmSync(root, { recursive: true, force: true }) } as const;
}

/**
 * After a build, gives the package the module caches it lacks (a fresh clone's first build), so
 * later builds do not bundle the same npm modules again. Best effort: a read-only package, or
 * another build that got there first, simply keeps what it has.
 */
export function keepModuleCaches(root: string, dir = siteDir) {
  for (const name of ['_node', '_observablehq']) {
    const target = path.join(cacheDir(dir), name);
    const built = path.join(cacheDir(root), name);
    if (existsSync(target) || !existsSync(built)) continue;
    const staging = `${target}.${process.pid}`;
    try {
      cpSync(built, staging, { recursive: true });
      renameSync(staging, target);
    } catch {
      rmSync(staging, { recursive: true, force: true });
    }
  }
}

/**
 * Runs the framework's build of the site into `out`, in a working copy of its own whose loaders
 * run afresh, so the pages show what the warehouse holds now. Build output goes to the log line by line.
 * @throws ConfigError when the site package is not installed; ServiceError when the build fails.
 */
export async function buildSite(env: Record<string, string>, out: string, logger: Logger, signal?: AbortSignal) {
  const bin = path.join(siteDir, 'node_modules/.bin/observable');
  if (!existsSync(bin)) {
    throw new ConfigError(`${path.relative(repoRoot, siteDir)}/node_modules is missing: run make setup`);
  }
  const site = workingSite();
  rmSync(out, { recursive: true, force: true });
  const tail: string[] = [];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(bin, ['build'], { cwd: site.root, env, stdio: ['ignore', 'pipe', 'pipe'], signal });
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        if (/^(load|built|\s*[├└┌]|Unexpected|Error|error)/.test(line))
          logger.info({ build: line.trim() }, 'site build');
      }
    };
    child.stdout.on('data', onLine);
    child.stderr.on('data', onLine);
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  })
    .then((c) => {
      if (c === 0) keepModuleCaches(site.root);
      return c;
    })
    .finally(site.dispose);
  if (code !== 0) {
    throw new ServiceError(`the site build failed (exit ${code}):\n${tail.join('\n')}`, {
      details: { exitCode: code },
    });
  }
}
