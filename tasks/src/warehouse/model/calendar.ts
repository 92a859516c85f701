import { PUBLIC_HOLIDAYS } from './holidays';

/** One dim_date row; property names are the column names. */
export interface CalendarDay {
  date_key: number;
  full_date: string;
  day_of_month: number;
  day_name: string;
  iso_day_of_week: number;
  is_weekend: boolean;
  iso_week: number;
  iso_week_year: number;
  week_start: string;
  month: number;
  month_name: string;
  year_month: string;
  quarter: number;
  year: number;
  is_public_holiday: boolean;
  holiday_name: string | null;
  holidays_known: boolean;
}

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAY_MS = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** YYYYMMDD key of an ISO date. */
export function dateKey(isoDate: string): number {
  return Number(isoDate.replace(/-/g, ''));
}

/** The calendar row of one day (UTC arithmetic: a date has no time zone). */
export function calendarDay(isoDate: string): CalendarDay {
  const d = new Date(`${isoDate}T00:00:00Z`);
  const dow = ((d.getUTCDay() + 6) % 7) + 1; // 1 = Monday
  // ISO week: the week's Thursday decides the year; week 1 holds the year's first Thursday.
  const thursday = new Date(d.getTime() + (4 - dow) * DAY_MS);
  const weekYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / DAY_MS / 7) + 1;
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const holidays = PUBLIC_HOLIDAYS[year];
  const holiday = holidays?.[isoDate] ?? null;
  return {
    date_key: dateKey(isoDate),
    full_date: isoDate,
    day_of_month: d.getUTCDate(),
    day_name: DAYS[dow - 1]!,
    iso_day_of_week: dow,
    is_weekend: dow >= 6,
    iso_week: week,
    iso_week_year: weekYear,
    week_start: iso(new Date(d.getTime() - (dow - 1) * DAY_MS)),
    month,
    month_name: MONTHS[month - 1]!,
    year_month: isoDate.slice(0, 7),
    quarter: Math.floor((month - 1) / 3) + 1,
    year,
    is_public_holiday: holiday !== null,
    holiday_name: holiday,
    holidays_known: holidays !== undefined,
  };
}

/** Every day of a calendar year: the loader makes sure the years it touches are complete. */
export function calendarYear(year: number): CalendarDay[] {
  const days: CalendarDay[] = [];
  for (let t = Date.UTC(year, 0, 1); new Date(t).getUTCFullYear() === year; t += DAY_MS) {
    days.push(calendarDay(iso(new Date(t))));
  }
  return days;
}

/** First and next-month-first day of the month holding `isoDate`: a monthly partition's bounds. */
export function monthBounds(isoDate: string): { from: string; to: string; suffix: string } {
  const [y, m] = isoDate.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { from: `${isoDate.slice(0, 7)}-01`, to: next, suffix: `${y}_${String(m).padStart(2, '0')}` };
}

/** Every date from `from` to `to` inclusive, as YYYY-MM-DD. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); iso(new Date(t)) <= to; t += DAY_MS) out.push(iso(new Date(t)));
  return out;
}
