import { readFileSync } from 'node:fs';
import { Kafka, logLevel as KafkaLogLevel, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import { requireSetting, type Config } from '../config';
import { ConfigError } from '../errors';
import { mskIamToken } from './msk-iam';
import { installRecordBatchCodec } from '../kafka/hooks';
import type { Logger } from '../logger';

const levelName: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

/**
 * A kafkajs client whose own log lines go through our pino logger (JSON, same bindings), and whose
 * record batches go through our one-buffer codec (src/kafka/hooks.ts; docs/ingest.md).
 * @param retries connection retries before kafkajs gives up (a health probe wants few).
 * @throws ConfigError when the kafkajs patch that lets the codec in is not applied.
 */
export function createKafka(config: Config, logger: Logger, retries = 5): Kafka {
  installRecordBatchCodec();
  const log = logger.child({ component: 'kafkajs' });
  return new Kafka({
    ...kafkaConnection(config),
    connectionTimeout: 5_000,
    retry: { retries, initialRetryTime: 300, maxRetryTime: 10_000 },
    logLevel: KafkaLogLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        log[levelName[level] ?? 'info']({ ...rest, timestamp: undefined }, message);
      },
  });
}

/** A file's text, or a ConfigError naming the variable that points at it. */
function readSetting(file: string, variable: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${variable}=${file} cannot be read: ${(error as Error).message}`, { cause: error });
  }
}

/** The SASL options of the configured mechanism (config.ts validated the combination). */
function saslOptions(sasl: Config['kafka']['sasl']): SASLOptions | undefined {
  switch (sasl.mechanism) {
    case 'none':
      return undefined;
    case 'aws-iam':
      return { mechanism: 'oauthbearer', oauthBearerProvider: () => mskIamToken(sasl.region) };
    default: {
      const password = sasl.passwordFile
        ? readSetting(sasl.passwordFile, 'KAFKA_SASL_PASSWORD_FILE').trim()
        : sasl.password!;
      return { mechanism: sasl.mechanism, username: sasl.username!, password };
    }
  }
}

/**
 * How to reach and authenticate to the brokers: TLS (with an extra CA file when configured) and
 * SASL (SCRAM or MSK IAM). Unit-tested for each mechanism.
 * @throws ConfigError for missing brokers or an unreadable password or CA file.
 */
export function kafkaConnection(config: Config): Pick<KafkaConfig, 'clientId' | 'brokers' | 'ssl' | 'sasl'> {
  const { kafka } = config;
  const ssl = kafka.ssl && kafka.caFile ? { ca: [readSetting(kafka.caFile, 'KAFKA_SSL_CA_FILE')] } : kafka.ssl;
  const sasl = saslOptions(kafka.sasl);
  return {
    clientId: kafka.clientId,
    brokers: requireSetting(kafka.brokers, 'KAFKA_BROKERS', config.profile),
    ssl,
    ...(sasl ? { sasl } : {}),
  };
}
