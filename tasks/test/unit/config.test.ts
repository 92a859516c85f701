import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPool } from '../../src/clients/db';
import { createKafka } from '../../src/clients/kafka';
import { createMailer } from '../../src/clients/mail';
import { loadConfig, requireSecret } from '../../src/config';
import { ConfigError } from '../../src/errors';
import { createLogger } from '../../src/logger';

const noFile = { SALES_PIPELINE_ENV_FILE: '/nonexistent/env' };

describe('loadConfig', () => {
  it('defaults to the local profile and its loopback services', () => {
    const c = loadConfig({}, noFile, 'run-1');
    expect(c.profile).toBe('local');
    expect(c.kafka.brokers).toEqual(['127.0.0.1:19092']);
    expect(c.s3.endpoint).toBe('http://127.0.0.1:19000');
    expect(c.warehouse.port).toBe(15432);
    expect(c.runId).toBe('run-1');
    expect(c.warehouse.password).toBeUndefined();
  });

  it('takes flags over environment over the env file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    const file = path.join(dir, 'env');
    writeFileSync(
      file,
      'LOG_LEVEL=debug\nS3_BUCKET=from-file\nWAREHOUSE_PASSWORD=file-secret\nKAFKA_BROKERS=a:1,b:2\n',
    );
    const c = loadConfig({ logLevel: 'warn' }, { SALES_PIPELINE_ENV_FILE: file, S3_BUCKET: 'from-env' }, 'r');
    expect(c.logLevel).toBe('warn');
    expect(c.s3.bucket).toBe('from-env');
    expect(c.warehouse.password).toBe('file-secret');
    expect(c.kafka.brokers).toEqual(['a:1', 'b:2']);
  });

  it('reports every invalid setting at once, naming the variables', () => {
    let error: unknown;
    try {
      loadConfig({}, { ...noFile, PGPORT: 'abc', S3_BUCKET: 'Bad_Bucket', SMTP_PORT: '70000' }, 'r');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PGPORT');
    expect(message).toContain('S3_BUCKET');
    expect(message).toContain('SMTP_PORT');
  });

  it('does not read the local env file nor local keys under the aws profile', () => {
    const c = loadConfig(
      { profile: 'aws' },
      {
        KAFKA_BROKERS: 'b-1.msk:9094',
        PGHOST: 'cluster.redshift',
        SMTP_HOST: 'email-smtp.aws',
        S3_ACCESS_KEY_ID: 'k',
        S3_SECRET_ACCESS_KEY: 's',
      },
      'r',
    );
    expect(c.s3.endpoint).toBeUndefined();
    expect(c.s3.accessKeyId).toBeUndefined();
    expect(c.warehouse.port).toBe(5439);
    expect(c.kafka.ssl).toBe(true);
  });

  it('lets a step run under aws without the services it never uses, and names them when a client needs one', () => {
    const c = loadConfig({ profile: 'aws' }, {}, 'r');
    expect(c.kafka.brokers).toEqual([]);
    expect(() => createKafka(c, createLogger('silent'))).toThrow(/KAFKA_BROKERS is not set/);
    expect(() => createPool(c)).toThrow(/PGHOST is not set/);
    expect(() => createMailer(c)).toThrow(/SMTP_HOST is not set/);
  });

  it('rejects an unknown profile', () => {
    expect(() => loadConfig({ profile: 'staging' }, noFile, 'r')).toThrow(/PIPELINE_PROFILE/);
  });
});

describe('requireSecret', () => {
  it('returns a present secret and names the variable of a missing one', () => {
    expect(requireSecret('s3cret', 'WAREHOUSE_PASSWORD', 'local')).toBe('s3cret');
    expect(() => requireSecret(undefined, 'WAREHOUSE_PASSWORD', 'local')).toThrow(
      /WAREHOUSE_PASSWORD is not set.*make setup/,
    );
    expect(() => requireSecret('', 'SMTP_PASSWORD', 'aws')).toThrow(ConfigError);
  });
});
