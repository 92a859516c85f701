import { parseIsoDate } from '../../src/dates';

describe('parseIsoDate', () => {
  it('accepts real calendar days', () => {
    expect(parseIsoDate('2022-04-30')).toBe('2022-04-30');
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
  });
  it.each(['2022-02-30', '2023-02-29', '04-30-22', '2022-4-30', '2022-04-30T00:00:00Z', ''])('rejects %p', (v) => {
    expect(() => parseIsoDate(v)).toThrow();
  });
});
