import { checkReplay, emptyDays, type ReplaySeen } from '../../src/commands/stream-produce/checks';
import type { Routed } from '../../src/commands/stream-produce/route';
import { InputRejectedError } from '../../src/errors';
import { addReasons, producedMarkerKey, topReasons } from '../../src/events/produced';

const routed = (over: Partial<Routed> = {}): Map<string, Routed> =>
  new Map([['s3://b/raw.csv', { spills: new Map(), records: 10, undated: 0, ...over }]]);

const seen = (over: Partial<ReplaySeen>): ReplaySeen => ({
  dt: '2022-04-29',
  to: '2022-04-30',
  days: ['2022-04-29', '2022-04-30'],
  perDay: {},
  routed: routed(),
  maxDeadLetterShare: 0.05,
  ...over,
});

const refusal = (s: ReplaySeen): InputRejectedError => {
  try {
    checkReplay(s);
  } catch (error) {
    if (error instanceof InputRejectedError) return error;
    throw error;
  }
  throw new Error('checkReplay accepted the replay');
};

describe('stream-produce checks after a replay', () => {
  it('refuses a range where no row is dated, naming the dates the rows do have', () => {
    const e = refusal(seen({ routed: routed({ firstDay: '2022-03-31', lastDay: '2022-04-02', undated: 2 }) }));
    expect(e.message).toContain('no source row is dated 2022-04-29..2022-04-30');
    expect(e.message).toContain('10 row(s) read, their dates run 2022-03-31..2022-04-02 (2 without a readable date)');
    expect(e.exitCode).toBe(1);
  });

  it('says when no row has a readable date at all', () => {
    const e = refusal(seen({ routed: routed({ undated: 10 }) }));
    expect(e.message).toContain('none has a readable date');
  });

  it('refuses a day whose dead-letter share is over the limit, naming counts and top reasons', () => {
    const e = refusal(
      seen({
        perDay: {
          '2022-04-29': { events: 100, deadLettered: 5 },
          '2022-04-30': { events: 0, deadLettered: 7, reasons: { bad_date: 4, bad_number: 2, column_count: 1 } },
        },
      }),
    );
    expect(e.message).toContain('2022-04-30: 7 of 7 rows dead-lettered (100.0%), top reasons bad_date 4, bad_number 2');
    expect(e.message).not.toContain('2022-04-29:'); // 5 of 105 is under 5 %
  });

  it('accepts a range with dead letters under the limit and one empty day', () => {
    const s = seen({
      perDay: { '2022-04-29': { events: 20, deadLettered: 1 }, '2022-04-30': { events: 0, deadLettered: 0 } },
    });
    expect(() => checkReplay(s)).not.toThrow();
    expect(emptyDays(s)).toEqual(['2022-04-30']);
    expect(() => checkReplay({ ...s, maxDeadLetterShare: 0.01 })).toThrow(/over|above/);
  });
});

describe('produced markers', () => {
  it('are keyed by dataset, day and content', () => {
    expect(producedMarkerKey('kaggle-sample', '2022-04-30', 'abc')).toBe(
      'runs/stream-produce/produced/dataset=kaggle-sample/dt=2022-04-30/abc.json',
    );
  });

  it('sum reasons and name the most frequent first', () => {
    const r = addReasons({ bad_date: 1 }, { bad_date: 2, bad_number: 3, a: 1, b: 1 });
    expect(topReasons(r)).toBe('bad_date 3, bad_number 3, a 1, 1 more reason(s)');
    expect(topReasons(undefined)).toBe('');
  });
});
