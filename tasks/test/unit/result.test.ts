import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GateFailedError, InputRejectedError } from '../../src/errors';
import { ResultBuilder, resultKey, writeResult } from '../../src/result';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const t1 = new Date('2026-01-01T00:00:02.500Z');

describe('ResultBuilder', () => {
  it('records inputs, outputs, summed counts and timing of a successful step', () => {
    const b = new ResultBuilder('ingest-raw', 'run-1', '2022-04-30', 'local', t0);
    b.input({ uri: 'file:///a.csv', rows: 3 }).output({ uri: 's3://b/k', rows: 3 }).count('rows', 2).count('rows', 1);
    const r = b.finish(undefined, t1);
    expect(r).toMatchObject({
      status: 'succeeded',
      durationMs: 2500,
      counts: { rows: 3 },
      error: null,
      dt: '2022-04-30',
    });
    expect(r.inputs).toEqual([{ uri: 'file:///a.csv', rows: 3 }]);
  });

  it('marks rejected input and failed gates as rejected (exit 1) and keeps the details', () => {
    const r = new ResultBuilder('ingest-raw', 'r', '2022-04-30', 'local', t0).finish(
      new InputRejectedError('bad header', { details: { missing: ['Qty'] } }),
      t1,
    );
    expect(r.status).toBe('rejected');
    expect(r.error).toEqual({
      name: 'InputRejectedError',
      message: 'bad header',
      exitCode: 1,
      details: { missing: ['Qty'] },
    });
    expect(new ResultBuilder('q', 'r', undefined, 'local').finish(new GateFailedError('x')).status).toBe('rejected');
  });

  it('marks a crash as failed with exit code 3', () => {
    const r = new ResultBuilder('s', 'r', undefined, 'local').finish(new TypeError('boom'));
    expect(r).toMatchObject({ status: 'failed', dt: null, error: { name: 'TypeError', exitCode: 3 } });
  });
});

describe('result storage', () => {
  it('names the S3 key by step, date and a path-safe run id', () => {
    const r = new ResultBuilder('stream-land', 'scheduled__2022-04-30T00:00:00+00:00', '2022-04-30', 'local').finish();
    expect(resultKey(r)).toBe('runs/stream-land/dt=2022-04-30/scheduled__2022-04-30T00_00_00_00_00.json');
    r.variant = 'silver_order_lines';
    expect(resultKey(r)).toBe(
      'runs/stream-land/dt=2022-04-30/scheduled__2022-04-30T00_00_00_00_00__silver_order_lines.json',
    );
  });

  it('writes one JSON line to the XCom path, creating its folder', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'xcom-')), 'airflow', 'xcom', 'return.json');
    const r = new ResultBuilder('s', 'r', '2022-04-30', 'local').finish();
    await writeResult(r, file);
    const text = readFileSync(file, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(text)).toEqual(r);
  });
});
