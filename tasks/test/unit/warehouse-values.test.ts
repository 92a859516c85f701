import { calendarDay, calendarYear, datesBetween, monthBounds } from '../../src/warehouse/calendar';
import {
  centsToText,
  copyField,
  copyLines,
  decimalToCents,
  textArrayLiteral,
  toCents,
} from '../../src/warehouse/values';

describe('warehouse value conversions', () => {
  it('turns hyparquet decimal numbers into exact cents and text', () => {
    expect(toCents(64762 * 0.01)).toBe(64762);
    expect(toCents(9999999999.99)).toBe(999999999999);
    expect([centsToText(64762), centsToText(5), centsToText(-5), centsToText(0), centsToText(10n ** 18n + 1n)]).toEqual(
      ['647.62', '0.05', '-0.05', '0.00', '10000000000000000.01'],
    );
    expect([decimalToCents('647.62'), decimalToCents('7'), decimalToCents('-0.5'), decimalToCents(1234.56)]).toEqual([
      64762n,
      700n,
      -50n,
      123456n,
    ]);
    expect(() => decimalToCents('1.234')).toThrow(/at most 2 places/);
  });

  it('escapes COPY text fields so tabs, newlines and backslashes stay data, and NULL is \\N', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField("O'Brien; drop\ttable\nx\\")).toBe("O'Brien; drop\\ttable\\nx\\\\");
    expect(
      copyLines(
        [
          ['a', 'b'],
          [null, 'c\td'],
        ],
        0,
        2,
      ),
    ).toBe('a\t\\N\nb\tc\\td\n');
  });

  it('writes promotion lists as array literals that keep quotes, commas and the word NULL as data', () => {
    expect(textArrayLiteral([])).toBe('{}');
    expect(textArrayLiteral(['NULL', 'a"b', 'c\\d', '{x,y}'])).toBe('{"NULL","a\\"b","c\\\\d","{x,y}"}');
  });
});

describe('warehouse calendar', () => {
  it('describes a day: ISO week across the new year, weekend, quarter, holiday', () => {
    expect(calendarDay('2022-01-01')).toMatchObject({
      date_key: 20220101,
      iso_week: 52,
      iso_week_year: 2021,
      is_weekend: true,
      day_name: 'Saturday',
      week_start: '2021-12-27',
    });
    expect(calendarDay('2022-05-03')).toMatchObject({
      is_public_holiday: true,
      holiday_name: 'Id-ul-Fitr',
      quarter: 2,
      iso_day_of_week: 2,
      holidays_known: true,
    });
    expect(calendarDay('2023-01-26')).toMatchObject({ is_public_holiday: false, holidays_known: false });
  });

  it('covers whole years, with the 17 gazetted holidays of 2022', () => {
    const y = calendarYear(2022);
    expect(y).toHaveLength(365);
    expect(calendarYear(2024)).toHaveLength(366);
    expect(y.filter((d) => d.is_public_holiday)).toHaveLength(17);
    expect(new Set(y.map((d) => d.date_key)).size).toBe(365);
  });

  it('bounds monthly partitions and lists date ranges', () => {
    expect(monthBounds('2022-12-31')).toEqual({ from: '2022-12-01', to: '2023-01-01', suffix: '2022_12' });
    expect(datesBetween('2022-02-27', '2022-03-01')).toEqual(['2022-02-27', '2022-02-28', '2022-03-01']);
  });
});
