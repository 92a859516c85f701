import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DayRouter, routeRecords, spillObject } from '../../src/commands/stream-produce/route';
import { readSpill } from '../../src/commands/stream-produce/spill';
import { parseSourceDate } from '../../src/events/to-event';
import { sampleSourceFile } from '../../src/paths';
import { ByteRecordSplitter, recordText, splitFields } from '../../src/source/records';

const sample = readFileSync(sampleSourceFile);
const [header, ...sampleRows] = (() => {
  const s = new ByteRecordSplitter();
  const r = s.push(sample);
  const last = s.end();
  return [...Array.from({ length: r.count }, (_, i) => recordText(r, i)), ...(last.count ? [recordText(last, 0)] : [])];
})();

/** Sample rows edited into the shapes the byte-level reading must not get wrong. */
function editedRows(): string[] {
  const f = splitFields(sampleRows[0]!);
  const rest = f.slice(3).join(',');
  const row = (a: string, b: string, date: string) => `${a},${b},${date},${rest}`;
  const rows = [
    row('"0,1"', f[1]!, '05-01-22'), // a quoted first field holding a comma
    row('0', '"405-1,2"', '04-30-22'), // a quoted Order ID holding a comma
    row('0', f[1]!, '"05-02-22"'), // a quoted date
    row('"0"', f[1]!, '13-01-22'), // quoted, then a bad month
    `0,${f[1]},04-29-22,"Shipped, maybe",x`, // a quote only after the date
    '0,405-1',
    '0',
    '',
    '0,405-1,05-03-22', // exactly three fields
    row('0', f[1]!, ''), // empty date
    row('0', f[1]!, '02-30-22'), // no such day (8 bytes: cached as undated)
    row('0', f[1]!, '04/30/22'),
    row('0', f[1]!, '4-30-22'),
    row('0', f[1]!, '04-30-2022'),
    row('0', f[1]!, ' 04-30-22'),
    row('0', f[1]!, '04-30-2\u00e9'),
    row('0', f[1]!, '04-30-2\uFFFD'),
  ];
  // Alternating days (each differs from the cached one), repeats (cache hits), undated in between.
  for (const d of ['04-30-22', '05-01-22', '04-30-22', '04-30-22', '02-30-22', '02-30-22', '05-02-22', '03-31-22']) {
    rows.push(row('1', f[1]!, d));
  }
  return rows;
}

/** The rule DayRouter replaces: the third field, split in full, read as a date. */
const oldDate = (text: string) => parseSourceDate(splitFields(text)[2] ?? '');

/** The router's days for `rows` (laid out in one buffer, as a chunk is) and what it counted. */
function route(rows: string[], days: string[], undatedDay: string | undefined) {
  const plan = { days: new Set(days), undatedDay };
  const router = new DayRouter(plan);
  const data = Buffer.from(`${rows.join('\n')}\n`);
  const records = new ByteRecordSplitter().push(data);
  expect(records.count).toBe(rows.length);
  const got = Array.from({ length: records.count }, (_, i) => router.day(data, records.starts[i]!, records.ends[i]!));
  return { got, summary: router.summary() };
}

/** What the old rule says for the same rows and plan. */
function expected(rows: string[], days: string[], undatedDay: string | undefined) {
  const dates = rows.map(oldDate);
  const want = dates.map((d) => {
    const day = d ?? undatedDay;
    return day !== undefined && days.includes(day) ? day : undefined;
  });
  const seen = dates.filter((d): d is string => d !== null).sort();
  const summary = {
    records: rows.length,
    undated: dates.filter((d) => d === null).length,
    firstDay: seen[0],
    lastDay: seen[seen.length - 1],
  };
  return { want, summary };
}

describe('DayRouter', () => {
  const mixed = [...sampleRows.slice(0, 200), ...editedRows(), ...sampleRows.slice(200), ...editedRows().reverse()];
  const allDays = [...new Set(sampleRows.map(oldDate))].filter((d): d is string => d !== null).sort();

  it('the rows cover the cases: several days, undated rows, quotes before the date', () => {
    expect(allDays.length).toBeGreaterThan(2);
    expect(mixed.filter((r) => oldDate(r) === null).length).toBeGreaterThan(10);
    expect(editedRows().filter((r) => oldDate(r) !== null).length).toBeGreaterThan(5);
  });

  it.each([
    ['every day, undated rows to the first', () => allDays, () => allDays[0]],
    ['every other day, undated rows dropped', () => allDays.filter((_d, i) => i % 2 === 0), () => undefined],
    ['one day, undated rows to a day not in the plan', () => [allDays[1]!], () => '2099-01-01'],
    ['the edited days only', () => ['2022-05-01', '2022-05-02', '2022-04-29', '2022-05-03'], () => '2022-05-01'],
  ])('picks the day the full split would, and counts alike (%s)', (_name, days, undatedDay) => {
    const { got, summary } = route(mixed, days(), undatedDay());
    const want = expected(mixed, days(), undatedDay());
    expect(got).toEqual(want.want);
    expect(summary).toEqual(want.summary);
  });

  it('routeRecords checks the header and routes every record of an object read in small chunks', async () => {
    const rows = [header!, ...editedRows(), ...sampleRows.slice(0, 300)];
    const bytes = Buffer.from(`\uFEFF${rows.join('\r\n')}`);
    async function* chunks() {
      for (let at = 0; at < bytes.length; at += 37) yield bytes.subarray(at, at + 37);
    }
    const days = allDays.slice(0, 2);
    const router = new DayRouter({ days: new Set(days), undatedDay: days[0] });
    const got: (string | undefined)[] = [];
    for await (const r of routeRecords(chunks(), 's3://raw/a.csv', router))
      got.push(...r.days.slice(r.records.rows[0] === 1 ? 1 : 0));
    const want = expected(rows.slice(1), days, days[0]);
    expect(got).toEqual(want.want);
    expect(router.summary()).toEqual(want.summary);
  });
  it("spillObject writes each wanted day's records, bytes and row numbers as read, to its own spill file", async () => {
    const rows = [header!, ...editedRows(), ...sampleRows.slice(0, 300)];
    const bytes = Buffer.from(rows.join('\n'));
    async function* chunks() {
      for (let at = 0; at < bytes.length; at += 101) yield bytes.subarray(at, at + 101);
    }
    const present = [...new Set(rows.slice(1).map(oldDate))].filter((d): d is string => d !== null).sort();
    const days = [present[0]!, present[present.length - 1]!];
    const dir = mkdtempSync(path.join(tmpdir(), 'spill-test-'));
    try {
      const spilled = await spillObject(
        chunks(),
        's3://raw/a.csv',
        { days: new Set(days), undatedDay: days[1] },
        dir,
        () => {},
      );
      const want = expected(rows.slice(1), days, days[1]);
      const { spills, ...summary } = spilled;
      expect(summary).toEqual(want.summary);
      expect([...spills.keys()].sort()).toEqual([...days].sort());
      for (const day of days) {
        const got: [number, string][] = [];
        for await (const r of readSpill(spills.get(day)!.file)) {
          for (let i = 0; i < r.count; i++) got.push([r.rows[i]!, recordText(r, i)]);
        }
        const mine = rows
          .slice(1)
          .flatMap((text, i) => (want.want[i] === day ? [[i + 2, text] as [number, string]] : []));
        expect(got).toEqual(mine);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
