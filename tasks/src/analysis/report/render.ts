import type { Chart } from './charts';
import type { Headline, Section } from './findings';
import { esc, n, rupees } from './format';

export interface ReportMeta {
  dataset: string;
  runId: string;
  builtAt: string;
  range: { from: string; to: string };
  gaps: string;
}

function headlineLines(h: Headline): string[] {
  const d = h.day;
  return [
    d
      ? `On ${h.dt}: realised revenue ${rupees(d.revenue)} from ${n(d.orders)} orders and ${n(d.units)} units` +
        (d.aov === null ? '.' : ` (average order ${rupees(d.aov)}).`)
      : `On ${h.dt}: no facts loaded for this day.`,
    `Period to date (${h.toDate.from}..${h.dt}, ${n(h.toDate.days)} days): ${rupees(h.toDate.revenue)} from ` +
      `${n(h.toDate.orders)} orders and ${n(h.toDate.units)} units.`,
  ];
}

const CAVEATS = [
  'Revenue is realised revenue: the line Amount of lines whose status is realised (shipped, delivered, picked up, out for delivery, shipping), Amazon.in only; never quantity × amount.',
  'The data has no customer id: a customer is a 6-digit ship postal code, so one "customer" may be several people and repeat shares are upper bounds.',
];

/** The findings as Markdown; charts are the SVG files beside it. */
export function renderMarkdown(meta: ReportMeta, h: Headline, sections: Section[], charts: Chart[]): string {
  const out = [
    `# Sales findings: ${meta.dataset}, ${h.dt}`,
    '',
    ...headlineLines(h).map((l) => `- **${l}**`),
    '',
    `Marts cover ${meta.range.from}..${meta.range.to}${meta.gaps ? ` (days without facts: ${meta.gaps})` : ''}; built by run ${meta.runId} at ${meta.builtAt}.`,
    '',
  ];
  for (const s of sections) {
    out.push(`## ${s.title}`, '', ...s.points.map((p) => `- ${p}`), '');
  }
  out.push('## Charts', '');
  for (const c of charts) out.push(`![${c.title}](charts/${c.name}.svg)`, '');
  out.push('## Caveats', '', ...CAVEATS.map((c) => `- ${c}`), '');
  return out.join('\n');
}

/** The same report as one self-contained HTML page with the SVG charts inline. */
export function renderHtml(meta: ReportMeta, h: Headline, sections: Section[], charts: Chart[]): string {
  const body = [
    `<h1>Sales findings: ${esc(meta.dataset)}, ${esc(h.dt)}</h1>`,
    `<div class="headline">${headlineLines(h)
      .map((l) => `<p>${esc(l)}</p>`)
      .join('')}</div>`,
    `<p class="meta">Marts cover ${esc(meta.range.from)}..${esc(meta.range.to)}${meta.gaps ? ` (days without facts: ${esc(meta.gaps)})` : ''}; run ${esc(meta.runId)}, ${esc(meta.builtAt)}.</p>`,
    ...sections.map(
      (s) => `<h2>${esc(s.title)}</h2><ul>${s.points.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`,
    ),
    '<h2>Charts</h2>',
    ...charts.map((c) => `<figure>${c.svg}<figcaption>${esc(c.title)}</figcaption></figure>`),
    `<h2>Caveats</h2><ul>${CAVEATS.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>`,
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sales findings: ${esc(meta.dataset)} ${esc(h.dt)}</title>
<style>
body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:820px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
.headline{background:#f3f6fa;border-left:4px solid #3b6ea8;padding:.4em 1em}.headline p{margin:.4em 0;font-weight:bold}
.meta{color:#666;font-size:.9em}figure{margin:1.5em 0}figcaption{color:#555;font-size:.9em}li{margin:.3em 0}
</style></head><body>
${body.join('\n')}
</body></html>
`;
}
