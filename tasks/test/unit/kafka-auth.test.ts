import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka } from 'kafkajs';
import { kafkaConnection } from '../../src/clients/kafka';
import { mskIamToken } from '../../src/clients/msk-iam';
import { loadConfig } from '../../src/config';
import { ConfigError } from '../../src/errors';

const dir = mkdtempSync(path.join(tmpdir(), 'kafka-auth-'));
const aws = { PIPELINE_PROFILE: 'aws', KAFKA_BROKERS: 'b-1.msk.example:9096,b-2.msk.example:9096' };
const config = (env: Record<string, string>) => loadConfig({}, { ...aws, ...env }, 'r');

describe('Kafka authentication for MSK', () => {
  it('SASL/SCRAM: the password is read from the mounted secret file it is referenced by, over TLS', () => {
    const secret = path.join(dir, 'password');
    writeFileSync(secret, 's3cret\n');
    const c = config({
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'pipeline',
      KAFKA_SASL_PASSWORD_FILE: secret,
    });
    const connection = kafkaConnection(c);
    expect(connection).toEqual({
      clientId: 'sales-pipeline',
      brokers: ['b-1.msk.example:9096', 'b-2.msk.example:9096'],
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'pipeline', password: 's3cret' },
    });
    expect(new Kafka(connection).producer()).toBeDefined();
    // The config itself holds only the reference.
    expect(JSON.stringify(c)).not.toContain('s3cret');
  });

  it('SASL/SCRAM from an env variable filled by the Kubernetes Secret, with a private CA for TLS', () => {
    const ca = path.join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const c = config({
      KAFKA_SASL_MECHANISM: 'scram-sha-256',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'from-secret',
      KAFKA_SSL_CA_FILE: ca,
    });
    const connection = kafkaConnection(c);
    expect(connection.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'u', password: 'from-secret' });
    expect(connection.ssl).toEqual({ ca: [expect.stringContaining('BEGIN CERTIFICATE')] });
    expect(new Kafka(connection).admin()).toBeDefined();
  });

  it('AWS IAM: OAUTHBEARER with a SigV4-presigned kafka-cluster:Connect token, no secret configured', async () => {
    const c = config({ KAFKA_SASL_MECHANISM: 'aws-iam', KAFKA_AWS_REGION: 'eu-west-1' });
    const connection = kafkaConnection(c);
    expect(connection.sasl?.mechanism).toBe('oauthbearer');
    expect(new Kafka(connection).consumer({ groupId: 'g' })).toBeDefined();
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
    const now = new Date('2026-01-02T03:04:05Z');
    const token = await mskIamToken('eu-west-1', credentials, now);
    const url = new URL(Buffer.from(token.value, 'base64url').toString());
    expect(token.value).not.toMatch(/[=+/]/);
    expect(url.origin).toBe('https://kafka.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('kafka-cluster:Connect');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20260102/eu-west-1/kafka-cluster/aws4_request');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20260102T030405Z');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(token.expiresAt).toBe(now.getTime() + 900_000);
    // Deterministic for the same inputs; another key signs differently.
    expect((await mskIamToken('eu-west-1', credentials, now)).value).toBe(token.value);
    const other = await mskIamToken('eu-west-1', { ...credentials, secretAccessKey: 'x' }, now);
    expect(other.value).not.toBe(token.value);
  });

  it('refuses incomplete or unsafe settings, naming the variables', () => {
    const problems = (env: Record<string, string>) => {
      try {
        config(env);
        return '';
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
    };
    expect(problems({ KAFKA_SASL_MECHANISM: 'scram-sha-512' })).toMatch(
      /KAFKA_SASL_USERNAME: required with scram-sha-512[\s\S]*KAFKA_SASL_PASSWORD_FILE: scram-sha-512 needs exactly one of/,
    );
    expect(problems({ KAFKA_SASL_MECHANISM: 'aws-iam', KAFKA_SSL: 'false' })).toMatch(
      /KAFKA_SSL: must be true with KAFKA_SASL_MECHANISM=aws-iam/,
    );
    expect(problems({ KAFKA_SASL_MECHANISM: 'plain' })).toMatch(/KAFKA_SASL_MECHANISM/);
    expect(problems({ KAFKA_SASL_PASSWORD: 'x' })).toMatch(
      /KAFKA_SASL_MECHANISM: a SASL user or password is set, but the mechanism is none/,
    );
    expect(problems({ KAFKA_SASL_MECHANISM: 'aws-iam', KAFKA_AWS_REGION: 'Frankfurt' })).toMatch(
      /KAFKA_AWS_REGION: an AWS region/,
    );
    const c = config({
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD_FILE: '/nonexistent/pw',
    });
    expect(() => kafkaConnection(c)).toThrow(/KAFKA_SASL_PASSWORD_FILE=\/nonexistent\/pw cannot be read/);
  });

  it('the local profile stays plain: no TLS, no SASL', () => {
    const c = loadConfig({}, { SALES_PIPELINE_ENV_FILE: '/nonexistent/env' }, 'r');
    expect(kafkaConnection(c)).toEqual({ clientId: 'sales-pipeline', brokers: ['127.0.0.1:19092'], ssl: false });
  });
});
