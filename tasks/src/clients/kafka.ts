import { Kafka, logLevel as KafkaLogLevel, type LogEntry } from 'kafkajs';
import { requireSetting, type Config } from '../config';
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
    clientId: config.kafka.clientId,
    brokers: requireSetting(config.kafka.brokers, 'KAFKA_BROKERS', config.profile),
    ssl: config.kafka.ssl,
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
