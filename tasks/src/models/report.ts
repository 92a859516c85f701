import { backtestChart, forecastChart, segmentChart } from './charts';
import type { SeriesForecast } from './forecast';
import type { MartBuild } from './inputs';
import type { SegmentationResult } from './segmentation';

export interface ReportInput {
  dt: string;
  runId: string;
  build: MartBuild;
  forecasts: SeriesForecast[];
  /** Why there is no forecast (the series is too short), or null. */
  forecastSkipped: string | null;
  segments: SegmentationResult[];
}

const n2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(0)}%` : 'n/a');

function forecastSection(r: ReportInput): string[] {
  if (r.forecastSkipped) return ['## Forecast', '', `Skipped: ${r.forecastSkipped}.`, ''];
  const lines = ['## Forecast: does it beat seasonal-naive?', ''];
  for (const f of r.forecasts) {
    const b = f.backtest;
    const verdict = b.beatsSeasonalNaive ? 'beats' : 'does not beat';
    lines.push(
      `- **${f.series} ${f.metric}**: the model ${verdict} seasonal-naive (MASE ${n2(b.model.mase)} vs ${n2(b.seasonalNaive.mase)}; naive ${n2(b.naive.mase)}), MAPE ${n2(b.model.mape)}% vs ${n2(b.seasonalNaive.mape)}%, interval coverage ${pct(b.model.coverage80)} (80%) and ${pct(b.model.coverage95)} (95%) over ${b.folds} folds.`,
    );
  }
  lines.push('', '| series | metric | next 14 days (sum) | 80% range of day 1 |', '|---|---|---:|---|');
  for (const f of r.forecasts) {
    const p = f.forecast;
    const sum = p.point.reduce((s, v) => s + v, 0);
    lines.push(`| ${f.series} | ${f.metric} | ${n2(sum)} | ${n2(p.lo80[0]!)} .. ${n2(p.hi80[0]!)} |`);
  }
  return [...lines, ''];
}

function segmentSection(s: SegmentationResult): string[] {
  const best = s.choice.silhouettes.find((x) => x.k === s.clustering.k)!;
  const lines = [
    `## ${s.kind === 'customer' ? 'Customer segments (postal code as the customer proxy)' : 'Product segments (styles)'}`,
    '',
    `${s.keys.length} ${s.kind === 'customer' ? 'customers' : 'styles'} in k = ${s.clustering.k} segments (silhouette ${n2(best.silhouette)}, the best of k = 2..${s.choice.silhouettes.at(-1)!.k}); stability over ${s.stability.seeds} seeds: mean ARI ${n2(s.stability.meanAri)}, lowest ${n2(s.stability.minAri)}.`,
    '',
  ];
  for (const p of s.profiles) lines.push(`- **${p.name}**: ${p.description}`);
  return [...lines, ''];
}

/** The model report in Markdown: which data, how the forecast scored, what the segments are. */
export function reportMarkdown(r: ReportInput): string {
  const b = r.build;
  return [
    `# Model report: dataset ${b.dataset}, ${r.dt}`,
    '',
    `Trained on dataset **${b.dataset}**, ${b.dtFrom}..${b.dtTo} (${b.factLines} fact lines, realised revenue ${b.realisedRevenue}; input snapshot ${b.snapshotId}), run ${r.runId}.`,
    '',
    ...forecastSection(r),
    ...r.segments.flatMap(segmentSection),
  ].join('\n');
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The same report as one HTML page with its SVG charts inline. */
export function reportHtml(r: ReportInput): string {
  const md = reportMarkdown(r);
  const body = md
    .split('\n')
    .map((l) => {
      const t = escape(l).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
      if (t.startsWith('# ')) return `<h1>${t.slice(2)}</h1>`;
      if (t.startsWith('## ')) return `<h2>${t.slice(3)}</h2>`;
      if (t.startsWith('- ')) return `<li>${t.slice(2)}</li>`;
      if (t.startsWith('|'))
        return t.includes('---')
          ? ''
          : `<tr>${t
              .slice(1, -1)
              .split('|')
              .map((c) => `<td>${c.trim()}</td>`)
              .join('')}</tr>`;
      return t ? `<p>${t}</p>` : '';
    })
    .join('\n');
  const charts = [
    ...(r.forecasts.length
      ? [backtestChart(r.forecasts), ...r.forecasts.filter((f) => f.series === 'total').map(forecastChart)]
      : []),
    ...r.segments.map(segmentChart),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Model report ${escape(r.build.dataset)} ${r.dt}</title>
<style>body{font-family:sans-serif;max-width:900px;margin:2em auto;color:#222}td{border:1px solid #ccc;padding:2px 6px}table{border-collapse:collapse}</style>
</head><body>
${body.replace(/(<tr>[\s\S]*?<\/tr>\n?)+/g, (rows) => `<table>${rows}</table>`)}
<h2>Charts</h2>
${charts.map((svg) => `<figure>${svg}</figure>`).join('\n')}
</body></html>
`;
}
