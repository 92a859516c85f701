/**
 * Error types of the task program and the exit codes they map to.
 *
 * Exit codes (stable; Airflow and `make` read them):
 * - 0  success
 * - 1  input rejected or quality gate failed on purpose (bad data, not a bug: do not retry blindly)
 * - 2  usage or configuration error (a flag, an env variable or a credential is wrong)
 * - 3  crash: an unexpected error or a service that stayed unreachable after retries
 * - 130 / 143  interrupted by SIGINT / SIGTERM
 */
export const ExitCode = {
  Ok: 0,
  Rejected: 1,
  Usage: 2,
  Crash: 3,
  Interrupted: 130,
  Terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface PipelineErrorOptions {
  cause?: unknown;
  /** True when repeating the same call may succeed (network blips, broker leader moves). */
  retriable?: boolean;
  /** Structured facts for the log and the step result (file, row, column, service...). */
  details?: Record<string, unknown>;
}

/** Base class: every error we raise on purpose carries an exit code and optional details. */
export class PipelineError extends Error {
  readonly retriable: boolean;
  readonly details: Record<string, unknown>;
  readonly exitCode: ExitCode = ExitCode.Crash;

  constructor(message: string, options: PipelineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
    this.details = options.details ?? {};
  }
}

/** Input that the step refuses on purpose (wrong schema, unreadable file): exit 1. */
export class InputRejectedError extends PipelineError {
  override readonly exitCode = ExitCode.Rejected;
}

/** A quality gate that evaluated and failed: exit 1. */
export class GateFailedError extends PipelineError {
  override readonly exitCode = ExitCode.Rejected;
}

/** Bad flags, env or credentials: exit 2. */
export class ConfigError extends PipelineError {
  override readonly exitCode = ExitCode.Usage;
}

/** A service (S3, Kafka, the warehouse, SMTP) could not be reached or refused a call. */
export class ServiceError extends PipelineError {}

/** Raised when SIGINT/SIGTERM asks the step to stop; it flushes and exits non-zero. */
export class InterruptedError extends PipelineError {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
  }
  get code(): ExitCode {
    return this.signal === 'SIGINT' ? ExitCode.Interrupted : ExitCode.Terminated;
  }
}

/** Maps any thrown value to the process exit code. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof InterruptedError) return error.code;
  if (error instanceof PipelineError) return error.exitCode;
  return ExitCode.Crash;
}
