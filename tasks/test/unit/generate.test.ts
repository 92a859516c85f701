import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCalibration } from '../../src/commands/generate/calibration';
import { linesPerDay } from '../../src/commands/generate/days';
import { amountText, csvRecord, sourceDate } from '../../src/commands/generate/format';
import { OrderIds } from '../../src/commands/generate/order-ids';
import { Prng } from '../../src/commands/generate/prng';
import { generateCsv } from '../../src/commands/generate/writer';
import { sampleSourceFile } from '../../src/paths';
import { parse } from 'csv-parse/sync';

const dir = mkdtempSync(path.join(tmpdir(), 'generate-'));
const calibration = loadCalibration(path.dirname(sampleSourceFile));
const generate = async (rows: number, seed: number, name = `g-${seed}-${rows}.csv`) => {
  const out = path.join(dir, name);
  const stats = await generateCsv({ rows, seed, from: '2022-03-31', to: '2022-06-29', out }, calibration);
  return { out, stats, bytes: readFileSync(out) };
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('generate: format', () => {
  it('writes values the way the original file does (pandas to_csv)', () => {
    expect(sourceDate('2022-04-30')).toBe('04-30-22');
    expect([39900, 64760, 64762, 0, 5].map(amountText)).toEqual(['399.0', '647.6', '647.62', '0.0', '0.05']);
    expect(csvRecord(['a', 'x, y', 'say "hi"', ''])).toBe('a,"x, y","say ""hi""",\n');
  });

  it('re-serialises every record of the real sample to the same bytes (the quoting rules match)', () => {
    const bytes = readFileSync(sampleSourceFile, 'utf8');
    expect((parse(bytes) as string[][]).map(csvRecord).join('')).toBe(bytes);
  });
});

describe('generate: determinism and shape', () => {
  it('gives the same bytes for the same seed and rows, other bytes for another seed', async () => {
    const a = await generate(3_000, 11, 'a.csv');
    const b = await generate(3_000, 11, 'b.csv');
    const c = await generate(3_000, 12, 'c.csv');
    expect(sha(a.bytes)).toBe(sha(b.bytes));
    expect(sha(a.bytes)).not.toBe(sha(c.bytes));
  });

  it('writes exactly the rows asked for, with the original header, a row index and every day', async () => {
    const { bytes, stats } = await generate(5_000, 3);
    const header = readFileSync(sampleSourceFile, 'utf8').split('\n')[0];
    expect(bytes.toString('utf8').split('\n')[0]).toBe(header);
    const records = parse(bytes, { from_line: 2 }) as string[][];
    expect(records).toHaveLength(5_000);
    expect(stats.rows).toBe(5_000);
    expect(records.map((r) => r[0])).toEqual(records.map((_r, i) => String(i)));
    expect(new Set(records.map((r) => r[2])).size).toBe(91);
  });

  it('spreads lines over the days like the full file: a partial first day, April busier than June', () => {
    const days = ['2022-03-31', '2022-04-15', '2022-06-15'];
    const quotas = linesPerDay(1_000_000, days, 1);
    expect([...quotas.values()].reduce((s, n) => s + n, 0)).toBe(1_000_000);
    expect(quotas.get('2022-03-31')!).toBeLessThan(quotas.get('2022-06-15')! / 5);
    expect(quotas.get('2022-04-15')!).toBeGreaterThan(quotas.get('2022-06-15')!);
  });

  it('never repeats an order id (a keyed permutation, no memory of ids handed out)', () => {
    const ids = new OrderIds(5);
    const seen = new Set(Array.from({ length: 200_000 }, () => ids.take()));
    expect(seen.size).toBe(200_000);
    for (const id of [...seen].slice(0, 100)) expect(id).toMatch(/^\d{7}-\d{7}$/);
  });

  it('draws from its own seeded generator: the same seed, the same sequence', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const xs = Array.from({ length: 1000 }, () => a.float());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.float()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });
});
