import type { ColumnProfile } from './columns';
import type { FileProfile } from './profiler';

const n = (x: number) => x.toLocaleString('en-US');
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const money = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A value shown in one cell: printable, quoted when it has edge spaces, cut when long. */
function shown(value: string): string {
  const v = value.length > 40 ? `${value.slice(0, 37)}...` : value;
  return /^\s|\s$/.test(v) ? JSON.stringify(v) : v;
}

function table(rows: [string, ...string[]][], width: number): string {
  const label = Math.max(...rows.map(([l]) => l.length)) + 2;
  return rows
    .map(([l, ...cells]) => `${l.padEnd(label)}${cells.map((c) => c.padEnd(width)).join('')}`.trimEnd())
    .join('\n');
}

/** The union of the files' top values, ordered by the first file's counts, with each file's share. */
function topRows(columns: (ColumnProfile | undefined)[], rows: number[]): [string, ...string[]][] {
  const values: string[] = [];
  for (const c of columns) for (const t of c?.top ?? []) if (!values.includes(t.value)) values.push(t.value);
  return values.map((value) => [
    `  ${shown(value)}`,
    ...columns.map((c, i) => {
      const hit = c?.top.find((t) => t.value === value);
      return hit ? `${n(hit.count)} (${pct(hit.count / (rows[i] || 1))})` : '-';
    }),
  ]);
}

function columnRows(name: string, columns: (ColumnProfile | undefined)[], rows: number[]): [string, ...string[]][] {
  const cell = (f: (c: ColumnProfile) => string) => columns.map((c) => (c ? f(c) : 'absent'));
  const out: [string, ...string[]][] = [
    [`column ${JSON.stringify(name)}`, ...columns.map(() => '')],
    ['  nulls', ...cell((c) => `${n(c.nulls)} (${pct(c.nullRate)})`)],
    ['  distinct', ...cell((c) => `${c.distinctApprox ? '~' : ''}${n(c.distinct)}`)],
  ];
  if (columns.some((c) => c?.date)) {
    out.push(['  date range', ...cell((c) => (c.date ? `${c.date.min}..${c.date.max}` : '-'))]);
    out.push([
      '  days present / missing',
      ...cell((c) => (c.date ? `${c.date.days} / ${c.date.missingDays.length}` : '-')),
    ]);
  }
  if (columns.some((c) => c?.numeric)) {
    const num = (f: (s: NonNullable<ColumnProfile['numeric']>) => string) =>
      cell((c) => (c.numeric ? f(c.numeric) : '-'));
    out.push(['  sum', ...num((s) => money(s.sum))]);
    out.push(['  mean / median', ...num((s) => `${money(s.mean)} / ${s.medianApprox ? '~' : ''}${money(s.median)}`)]);
    out.push(['  min / max', ...num((s) => `${money(s.min)} / ${money(s.max)}`)]);
    out.push(['  zeros / fractional', ...num((s) => `${n(s.zeros)} / ${n(s.fractional)}`)]);
  }
  const distinct = Math.max(...columns.map((c) => c?.distinct ?? 0));
  // Value sets are worth showing for categorical columns; for ids only the distinct count says much.
  if (distinct <= 5_000) {
    out.push([`  top values${columns.some((c) => c?.topApprox) ? ' (approx.)' : ''}`, ...columns.map(() => '')]);
    out.push(...topRows(columns, rows));
  }
  return out;
}

/** The text report: file facts, then one block per column, one cell per file. */
export function renderProfiles(profiles: FileProfile[]): string {
  const width = Math.max(24, ...profiles.map((p) => p.name.length + 2));
  const rows = profiles.map((p) => p.rows);
  const header: [string, ...string[]][] = [
    ['file', ...profiles.map((p) => p.name)],
    ['bytes', ...profiles.map((p) => n(p.bytes))],
    ['rows', ...profiles.map((p) => n(p.rows))],
    ['ragged rows', ...profiles.map((p) => n(p.raggedRows))],
    ['seconds', ...profiles.map((p) => p.seconds.toFixed(1))],
  ];
  const names: string[] = [];
  for (const p of profiles) for (const h of p.header) if (!names.includes(h)) names.push(h);
  const blocks = names.map((name) =>
    table(
      columnRows(
        name,
        profiles.map((p) => p.columns.find((c) => c.name === name)),
        rows,
      ),
      width,
    ),
  );
  return `${table(header, width)}\n\n${blocks.join('\n\n')}\n`;
}
