import { instantOf, wallClockAt } from './zoned-time.js';

/** An ISO 8601 value that names its own offset (`Z`, `+03:00`, `-0500`). */
const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;
/** A calendar date alone. */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** The parts of a date or date-time without an offset. */
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/;

/**
 * The instant a front-matter `date` stands for. A calendar date
 * (`2026-11-24`) is the start of that day in the site's time zone, and a
 * date-time without an offset (`2026-11-24T09:30`) is a wall-clock time
 * there: the writer wrote the day they see on their calendar, so formatting
 * the instant in the same zone shows that day again, on any machine and in
 * any zone from UTC−12 to UTC+14. A value with an offset is taken as given.
 *
 * @param value    A date already checked against the front-matter schema.
 * @param timeZone The site's IANA time zone.
 */
export function postInstant(value: string, timeZone: string): Date {
  if (HAS_OFFSET.test(value)) return new Date(value);
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = ''] = WALL_CLOCK.exec(value) ?? [];
  const ms = Math.round(Number(`0.${fraction || '0'}`) * 1000);
  return instantOf({ year: Number(year), month: Number(month), day: Number(day), hour: Number(hour), minute: Number(minute), second: Number(second), millisecond: ms }, timeZone);
}

/**
 * The form of a front-matter `date` for machines (`<time datetime>`,
 * JSON-LD, Open Graph): a calendar date or a value with an offset as the
 * writer gave it, a wall-clock time as the instant it stands for (a time
 * without an offset would be read in the reader's zone).
 *
 * @param value   The front-matter `date`.
 * @param instant {@link postInstant} of it.
 */
export function machineDate(value: string, instant: Date): string {
  return DATE_ONLY.test(value) || HAS_OFFSET.test(value) ? value : instant.toISOString();
}

/**
 * The calendar day of an instant in a time zone, as `YYYY-MM-DD` (for
 * sitemaps and other day-precision fields: `toISOString()` would give the
 * day in UTC). Proleptic Gregorian, as ISO 8601 and JavaScript dates are.
 *
 * @param date     The instant.
 * @param timeZone An IANA time zone.
 */
export function calendarDay(date: Date, timeZone: string): string {
  const { year, month, day } = wallClockAt(date, timeZone);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}`;
}
