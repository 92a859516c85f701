import type { FailingRow } from './engine';
import type { ExpectationResult, ValidationResult } from './result';

const esc = (v: unknown) =>
  String(typeof v === 'string' ? v : JSON.stringify(v))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/** "what was expected" in words, from the kwargs (the columns and bounds a reader needs). */
export function expected(r: ExpectationResult): string {
  const k = { ...r.expectation_config.kwargs };
  delete k.result_format;
  delete k.meta;
  return Object.entries(k)
    .map(
      ([key, v]) =>
        `${key}=${Array.isArray(v) && v.length > 8 ? `[${v.slice(0, 8).map(String).join(', ')}, … ${v.length} values]` : JSON.stringify(v)}`,
    )
    .join(', ');
}

function observed(r: ExpectationResult): string {
  if (r.exception_info.raised_exception) return `error: ${r.exception_info.exception_message}`;
  const res = r.result;
  if ('observed_value' in res) return JSON.stringify(res.observed_value).slice(0, 300);
  if ('unexpected_count' in res) {
    const pct = typeof res.unexpected_percent === 'number' ? ` (${res.unexpected_percent.toFixed(3)}%)` : '';
    const sample = JSON.stringify(res.partial_unexpected_list ?? []).slice(0, 200);
    return `${res.unexpected_count} of ${res.element_count} unexpected${pct}; e.g. ${sample}`;
  }
  return '';
}

export interface ReportContext {
  stage: string;
  dt: string;
  dataset: string;
  runId: string;
  source: string;
  quarantineUri: string | null;
  /** A few failing rows per expectation index, with their ids. */
  samples: Map<number, FailingRow[]>;
  /** Why the partition has no rows (from what the steps before it left), when it has none. */
  emptyBecause?: string | null | undefined;
}

/**
 * A self-contained HTML page (inline CSS, no scripts or external assets) that a mail client can
 * show: the verdict, each expectation with observed vs expected, and sample failing rows with ids.
 */
export function renderReport(v: ValidationResult, ctx: ReportContext): string {
  const s = v.statistics;
  const rows = v.results
    .map((r, i) => {
      const sev = r.expectation_config.severity;
      const cls = r.success ? 'ok' : sev === 'critical' ? 'bad' : 'warn';
      const reason = (r.expectation_config.meta as { reason?: string }).reason ?? '';
      const samples = (ctx.samples.get(i) ?? [])
        .map(
          (f) =>
            `<li><code>${esc(f.row_id.source ?? '')} row ${esc(f.row_id.row ?? '?')} (index ${f.row_id.index})</code> ${esc(JSON.stringify(f.row).slice(0, 400))}</li>`,
        )
        .join('');
      return `<tr class="${cls}"><td>${i}</td><td>${r.success ? 'pass' : sev === 'critical' ? 'FAIL' : sev}</td><td><b>${esc(r.expectation_config.type)}</b><br><small>${esc(reason)}</small></td><td>${esc(expected(r))}</td><td>${esc(observed(r))}${samples ? `<details><summary>sample failing rows</summary><ul>${samples}</ul></details>` : ''}</td></tr>`;
    })
    .join('\n');
  const verdict = v.success ? 'PASSED' : 'FAILED';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(v.suite_name)} ${esc(ctx.dt)}: ${verdict}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}
tr.ok td:nth-child(2){color:#1a7f37}tr.bad{background:#ffebe9}tr.warn{background:#fff8c5}
code{font-size:12px}small{color:#555}h1 span{color:${v.success ? '#1a7f37' : '#cf222e'}}
</style></head><body>
<h1>Quality gate <code>${esc(v.suite_name)}</code>: <span>${verdict}</span></h1>
${ctx.emptyBecause ? `<p><b>The partition has no rows</b>: ${esc(ctx.emptyBecause)}</p>\n` : ''}<p>Stage <b>${esc(ctx.stage)}</b>, dataset <b>${esc(ctx.dataset)}</b>, date <b>${esc(ctx.dt)}</b>, run <code>${esc(ctx.runId)}</code><br>
Data: <code>${esc(ctx.source)}</code>, ${esc(v.meta.rows ?? '?')} rows<br>
${s.successful_expectations} of ${s.evaluated_expectations} expectations passed; ${s.unsuccessful_expectations} failed
(only <i>critical</i> failures fail the gate).${ctx.quarantineUri ? `<br>All failing rows: <code>${esc(ctx.quarantineUri)}</code>` : ''}</p>
<table><thead><tr><th>#</th><th>verdict</th><th>expectation</th><th>expected</th><th>observed</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}
