import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';

/** The repository root (tests run from tasks/). */
export const repoRoot = path.resolve(__dirname, '../../..');

/** Config of the local stack as `make up` left it (reads .local/env). */
export function stackConfig(): Config {
  return loadConfig({ logLevel: 'warn' }, process.env, `itest-${uniqueSuffix()}`);
}

export function quietLogger(): Logger {
  return createLogger('error');
}

/** Lower-case, S3- and Kafka-safe suffix so parallel or repeated runs never collide. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
