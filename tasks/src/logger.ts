import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Paths whose values never reach a log line, whatever object they sit in. */
const redactPaths = [
  'password',
  'secretAccessKey',
  'accessKeyId',
  '*.password',
  '*.secretAccessKey',
  '*.accessKeyId',
  '*.*.password',
  '*.*.secretAccessKey',
];

/**
 * JSON logs to stdout (one object a line) so Airflow, kubectl and `jq` read them alike.
 * @param destination injected by tests; stdout by default.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'sales-pipeline' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ fd: 1, sync: true }),
  );
}
