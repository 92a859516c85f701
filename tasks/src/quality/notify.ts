import { excerpt } from '../source/excerpt';
import { expected } from './report-html';
import type { ValidationResult } from './result';

/** What a failed gate tells people: the stage, which expectations failed, how many rows. */
export interface GateSummary {
  suite: string;
  stage: string;
  dataset: string;
  dt: string;
  success: boolean;
  rows: number;
  failingRows: number;
  failed: {
    index: number;
    type: string;
    columns: string;
    severity: string;
    unexpected: number | null;
    observed: unknown;
    expected: string;
    /** A few unexpected values, as short escaped excerpts. */
    examples: string[];
  }[];
  /** Why the partition has no rows, when it has none (its report would otherwise read like drift). */
  emptyBecause?: string | null;
  reportUri: string;
  resultUri: string;
  quarantineUri: string | null;
}

/** The summary of a validation (pure, unit-tested). */
export function summarise(
  v: ValidationResult,
  facts: Omit<GateSummary, 'success' | 'failed' | 'rows'> & { rows: number },
): GateSummary {
  const failed = v.results
    .map((r, index) => ({ r, index }))
    .filter(({ r }) => !r.success)
    .map(({ r, index }) => {
      const k = r.expectation_config.kwargs;
      const columns = [k.column, k.column_A, k.column_B, ...((k.column_list as string[] | undefined) ?? [])]
        .filter(Boolean)
        .join(', ');
      return {
        index,
        type: r.expectation_config.type,
        columns,
        severity: r.expectation_config.severity,
        unexpected: typeof r.result.unexpected_count === 'number' ? r.result.unexpected_count : null,
        observed: r.exception_info.exception_message ?? r.result.observed_value ?? null,
        expected: expected(r),
        examples: [
          ...new Set(((r.result.partial_unexpected_list ?? []) as unknown[]).map((x) => excerpt(String(x)))),
        ].slice(0, 3),
      };
    });
  return { ...facts, success: v.success, failed };
}

/** Plain-text mail body: readable in any client, quoted by Airflow's failure mail too. */
export function mailText(s: GateSummary): string {
  const lines = [
    `Quality gate ${s.suite} ${s.success ? 'passed' : 'FAILED'} at stage ${s.stage} for dataset ${s.dataset}, date ${s.dt}.`,
    `${s.rows} rows validated; ${s.failingRows} rows failed at least one expectation.`,
    ...(s.emptyBecause ? [`The partition has no rows: ${s.emptyBecause}`] : []),
    '',
    'Failed expectations:',
    ...s.failed.map(
      (f) =>
        `  #${f.index} [${f.severity}] ${f.type}${f.columns ? ` (${f.columns})` : ''}: ` +
        (f.unexpected !== null ? `${f.unexpected} unexpected rows` : `observed ${JSON.stringify(f.observed)}`) +
        (f.expected ? `; expected ${f.expected}` : '') +
        (f.examples.length ? `; e.g. ${f.examples.join(', ')}` : ''),
    ),
    '',
    `Report: ${s.reportUri} (attached)`,
    `Result: ${s.resultUri}`,
  ];
  if (s.quarantineUri) lines.push(`Failing rows: ${s.quarantineUri}`);
  return `${lines.join('\n')}\n`;
}
