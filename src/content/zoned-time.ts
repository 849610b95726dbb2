/** A wall-clock reading: what a calendar and a clock in some zone show. */
export interface WallClock {
  year: number;
  /** 1-12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** Formatters by zone, reading proleptic Gregorian (`iso8601`) fields with a 0-23 hour. */
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'iso8601',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** Milliseconds since the epoch of a wall-clock reading taken as UTC (years 0-99 included). */
function asUtc(clock: WallClock): number {
  const date = new Date(0);
  date.setUTCFullYear(clock.year, clock.month - 1, clock.day);
  date.setUTCHours(clock.hour, clock.minute, clock.second, clock.millisecond);
  return date.getTime();
}

/**
 * What the calendar and clock of `timeZone` show at an instant.
 *
 * @param instant  The instant.
 * @param timeZone An IANA time zone.
 */
export function wallClockAt(instant: Date, timeZone: string): WallClock {
  const parts = new Map(formatFor(timeZone).formatToParts(instant).map((part) => [part.type, part.value]));
  const number = (type: Intl.DateTimeFormatPartTypes) => Number(parts.get(type));
  const year = /^B/i.test(parts.get('era') ?? '') ? 1 - number('year') : number('year');
  return { year, month: number('month'), day: number('day'), hour: number('hour'), minute: number('minute'), second: number('second'), millisecond: instant.getTime() - Math.floor(instant.getTime() / 1000) * 1000 };
}

/** The zone's offset from UTC at an instant, in milliseconds (seconds of old local mean times included). */
function offsetAt(ms: number, timeZone: string): number {
  return asUtc(wallClockAt(new Date(ms), timeZone)) - ms;
}

/**
 * The instant at which the clock of `timeZone` shows `clock`. In a gap
 * (clocks moved forward) it is the same time after the change; in an
 * overlap (clocks moved back), the earlier of the two.
 *
 * @param clock    The wall-clock reading.
 * @param timeZone An IANA time zone.
 */
export function instantOf(clock: WallClock, timeZone: string): Date {
  const local = asUtc(clock);
  const before = offsetAt(local - 86_400_000, timeZone);
  const after = offsetAt(local + 86_400_000, timeZone);
  // Try both offsets seen around that day; the earliest that reads back as the clock wins.
  const candidates = [local - Math.max(before, after), local - Math.min(before, after)];
  const exact = candidates.find((ms) => offsetAt(ms, timeZone) === local - ms);
  return new Date(exact ?? local - before);
}
