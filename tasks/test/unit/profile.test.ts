import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dateStats, EXACT_DISTINCT } from '../../src/commands/profile/columns';
import { profileFile, Profiler } from '../../src/commands/profile/profiler';
import { renderProfiles } from '../../src/commands/profile/render';
import { HyperLogLog } from '../../src/commands/profile/sketch';

const dir = mkdtempSync(path.join(tmpdir(), 'profile-'));

describe('profile', () => {
  it('counts rows, nulls, distinct and top values, and amount stats in paise-exact sums', () => {
    const p = new Profiler();
    [
      ['id', 'Date', 'Amount', 'Status'],
      ['1', '04-30-22', '647.62', 'Shipped'],
      ['2', '04-28-22', '', 'Cancelled'],
      ['3', '04-30-22', '0.0', 'Shipped'],
      ['4', '04-30-22', '100.05', 'Shipped', 'extra'],
    ].forEach((r) => p.add(r));
    const r = p.result(5);
    expect(r).toMatchObject({ rows: 4, raggedRows: 1 });
    const [, date, amount, status] = r.columns;
    expect(amount).toMatchObject({
      nulls: 1,
      distinct: 3,
      numeric: { count: 3, sum: 747.67, zeros: 1, fractional: 2, median: 100.05 },
    });
    expect(amount!.nullRate).toBe(0.25);
    expect(status!.top).toEqual([
      { value: 'Shipped', count: 3 },
      { value: 'Cancelled', count: 1 },
    ]);
    expect(status!.numeric).toBeUndefined();
    expect(date!.date).toMatchObject({ min: '2022-04-28', max: '2022-04-30', days: 2, missingDays: ['2022-04-29'] });
  });

  it('estimates distinct values within 2% once a column has more than the exact limit', () => {
    const p = new Profiler();
    p.add(['id']);
    for (let i = 0; i < EXACT_DISTINCT * 3; i++) p.add([`order-${i}`]);
    const [id] = p.result(3).columns;
    expect(id!.distinctApprox).toBe(true);
    expect(Math.abs(id!.distinct - EXACT_DISTINCT * 3) / (EXACT_DISTINCT * 3)).toBeLessThan(0.02);
    const small = new HyperLogLog();
    for (let i = 0; i < 1000; i++) small.add(String(i % 250));
    expect(Math.abs(small.estimate() - 250)).toBeLessThan(5);
  });

  it('lists the days missing between the first and the last date', () => {
    const days = new Map([
      ['2022-04-27', 1],
      ['2022-04-30', 2],
    ]);
    expect(dateStats(days)).toMatchObject({ days: 2, missingDays: ['2022-04-28', '2022-04-29'] });
  });

  it('reads a file in one streaming pass (quoted fields with commas and line breaks) and renders files side by side', async () => {
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    writeFileSync(a, 'Status,promotion-ids\nShipped,"x,y"\nCancelled,"multi\nline"\n');
    writeFileSync(b, 'Status,promotion-ids\nShipped,\n');
    const [pa, pb] = [await profileFile(a, 5), await profileFile(b, 5)];
    expect(pa.rows).toBe(2);
    expect(pa.columns[1]!.top.map((t) => t.value).sort()).toEqual(['multi\nline', 'x,y']);
    expect(pb.columns[1]!.nulls).toBe(1);
    const text = renderProfiles([pa, pb]);
    expect(text).toMatch(/^file\s+a\.csv\s+b\.csv$/m);
    expect(text).toMatch(/^ {2}Shipped\s+1 \(50\.00%\)\s+1 \(100\.00%\)$/m);
  });
});
