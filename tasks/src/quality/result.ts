import type { Outcome } from './checks/types';
import type { Expectation, Suite } from './suite';

/** One expectation's result, shaped like GX's ExpectationValidationResult (JSON form). */
export interface ExpectationResult {
  success: boolean;
  expectation_config: {
    type: string;
    kwargs: Record<string, unknown>;
    meta: Record<string, unknown>;
    severity: string;
  };
  result: Record<string, unknown>;
  meta: Record<string, unknown>;
  exception_info: { raised_exception: boolean; exception_message: string | null; exception_traceback: string | null };
}

/** The whole run, shaped like GX's ExpectationSuiteValidationResult (JSON form). */
export interface ValidationResult {
  success: boolean;
  suite_name: string;
  results: ExpectationResult[];
  statistics: {
    evaluated_expectations: number;
    successful_expectations: number;
    unsuccessful_expectations: number;
    success_percent: number | null;
  };
  meta: Record<string, unknown>;
}

function formatOf(e: Expectation): { name: string; partial: number } {
  const rf = e.kwargs.result_format as
    string | { result_format: string; partial_unexpected_count?: number } | undefined;
  if (rf === undefined) return { name: 'BASIC', partial: 20 };
  if (typeof rf === 'string') return { name: rf, partial: 20 };
  return { name: rf.result_format, partial: rf.partial_unexpected_count ?? 20 };
}

/**
 * GX's `_format_map_output`: BOOLEAN_ONLY gives no result; BASIC counts and the partial list;
 * SUMMARY adds the most common unexpected values and their indexes; COMPLETE the full lists.
 * `unexpected_percent` is over the non-missing values, except for the null checks (over all rows).
 */
export function formatMap(o: Extract<Outcome, { shape: 'map' }>, e: Expectation): Record<string, unknown> {
  const { name, partial } = formatOf(e);
  if (name === 'BOOLEAN_ONLY') return {};
  const total = o.elementCount;
  const r: Record<string, unknown> = { element_count: total, unexpected_count: o.unexpectedCount };
  if (o.consideredCount === null) {
    r.unexpected_percent = total > 0 ? (o.unexpectedCount / total) * 100 : null;
  } else {
    const missing = total - o.consideredCount;
    r.unexpected_percent = total > 0 && o.consideredCount > 0 ? (o.unexpectedCount / o.consideredCount) * 100 : null;
    r.missing_count = missing;
    r.missing_percent = total > 0 ? (missing / total) * 100 : null;
    r.unexpected_percent_total = total > 0 ? (o.unexpectedCount / total) * 100 : null;
    r.unexpected_percent_nonmissing = r.unexpected_percent;
  }
  r.partial_unexpected_list = o.unexpectedValues.slice(0, partial);
  if (name === 'BASIC') return r;
  const counts = new Map<string, { value: unknown; count: number }>();
  for (const v of o.unexpectedValues) {
    const key = JSON.stringify(v);
    const c = counts.get(key) ?? { value: v, count: 0 };
    c.count++;
    counts.set(key, c);
  }
  r.partial_unexpected_counts = [...counts.values()]
    .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)))
    .slice(0, partial);
  r.partial_unexpected_index_list = o.unexpectedIndexes.slice(0, partial);
  if (name === 'SUMMARY') return r;
  r.unexpected_list = o.unexpectedValues;
  r.unexpected_index_list = o.unexpectedIndexes;
  if (o.truncated) r.unexpected_list_truncated = true;
  return r;
}

/** One expectation's outcome as a GX-shaped result. */
export function toExpectationResult(e: Expectation, o: Outcome | { error: string }): ExpectationResult {
  const config = { type: e.type, kwargs: e.kwargs, meta: e.meta, severity: e.severity };
  if ('error' in o || ('details' in o && o.details && typeof o.details.error === 'string')) {
    const message = 'error' in o ? o.error : String(o.details!.error);
    return {
      success: false,
      expectation_config: config,
      result: {},
      meta: {},
      exception_info: { raised_exception: true, exception_message: message, exception_traceback: null },
    };
  }
  let result: Record<string, unknown>;
  if (o.shape === 'map') result = formatMap(o, e);
  else {
    result = formatOf(e).name === 'BOOLEAN_ONLY' ? {} : { observed_value: o.observedValue };
    if (o.details && formatOf(e).name !== 'BOOLEAN_ONLY') result.details = o.details;
  }
  return {
    success: o.success,
    expectation_config: config,
    result,
    meta: {},
    exception_info: { raised_exception: false, exception_message: null, exception_traceback: null },
  };
}

/**
 * The suite's verdict: it fails when any `critical` expectation (the default severity) fails;
 * failed `warning`/`info` expectations are reported but do not fail the gate.
 */
export function toValidationResult(
  suite: Suite,
  results: ExpectationResult[],
  meta: Record<string, unknown>,
): ValidationResult {
  const ok = results.filter((r) => r.success).length;
  return {
    success: results.every((r) => r.success || r.expectation_config.severity !== 'critical'),
    suite_name: suite.name,
    results,
    statistics: {
      evaluated_expectations: results.length,
      successful_expectations: ok,
      unsuccessful_expectations: results.length - ok,
      success_percent: results.length ? (ok / results.length) * 100 : null,
    },
    meta: { engine: 'sales-pipeline quality engine (Great Expectations 1.x semantics)', ...meta },
  };
}
