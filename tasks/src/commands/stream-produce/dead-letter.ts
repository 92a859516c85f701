import { createHash } from 'node:crypto';
import type { Message } from 'kafkajs';
import type { Rejection } from '../../events/to-event';

const MAX_RAW_IN_DLQ = 8 * 1024;

/**
 * The dead-letter message of a source row that cannot become an event: its reason, column and
 * detail, its position, and the raw line (cut at 8 KiB, with the whole line's sha256), keyed by
 * `<source uri>#<row>`.
 */
export function deadLetter(
  rejection: Rejection,
  raw: string,
  row: number,
  uri: string,
  dataset: string,
  runId: string,
): Message & { key: Buffer } {
  const truncated = Buffer.byteLength(raw) > MAX_RAW_IN_DLQ;
  return {
    key: Buffer.from(`${uri}#${row}`),
    value: JSON.stringify({
      schema: 'sales.order_lines.dlq.v1',
      dataset,
      source: { uri, row },
      ...rejection,
      raw_line: truncated ? raw.slice(0, MAX_RAW_IN_DLQ) : raw,
      raw_truncated: truncated,
      raw_sha256: createHash('sha256').update(raw).digest('hex'),
      run_id: runId,
    }),
    headers: { 'source-uri': uri, 'source-row': String(row), 'run-id': runId, reason: rejection.reason },
  };
}
