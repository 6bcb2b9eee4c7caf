/**
 * UTC calendar arithmetic for date literals and the relative-date query functions. Everything is
 * computed from epoch milliseconds so the engine never consults the process time zone or clock.
 */

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Epoch ms for validated calendar fields, or NaN when a field is out of range (so `2024-02-30` is
 * rejected instead of silently rolling over the way `Date.UTC` would).
 */
export function epochFromFields(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
  offsetMinutes = 0,
): number {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  if (hour > 23 || minute > 59 || second > 59 || Math.abs(offsetMinutes) > 14 * 60) return NaN;
  const seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
  return seconds * 1000 + millisecond - offsetMinutes * MS_PER_MINUTE;
}

function readDigits(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

const ZONE_SUFFIX = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Epoch ms of a stored datetime value, NaN when it is not one. Rows carry ISO-8601 UTC strings; the fast
 * path parses the canonical `YYYY-MM-DDTHH:MM:SS[.fff]Z` shape by hand because `Date.parse` dominates the
 * cost of a datetime filter over 100k rows.
 */
export function isoToEpochMs(text: string): number {
  const n = text.length;
  if (
    n >= 20 &&
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 84 &&
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58 &&
    text.charCodeAt(n - 1) === 90
  ) {
    const year = readDigits(text, 0, 4);
    const month = readDigits(text, 5, 2);
    const day = readDigits(text, 8, 2);
    const hour = readDigits(text, 11, 2);
    const minute = readDigits(text, 14, 2);
    const second = readDigits(text, 17, 2);
    let millisecond = 0;
    let valid = year >= 0 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 && second >= 0;
    if (valid && n > 20) {
      const fractionLength = n - 21;
      valid = text.charCodeAt(19) === 46 && fractionLength > 0;
      const fraction = valid ? readDigits(text, 20, Math.min(3, fractionLength)) : -1;
      valid =
        valid && fraction >= 0 && (fractionLength <= 3 || readDigits(text, 23, fractionLength - 3) >= 0);
      millisecond = fractionLength >= 3 ? fraction : fraction * (fractionLength === 1 ? 100 : 10);
    }
    if (valid) return epochFromFields(year, month, day, hour, minute, second, millisecond);
  }
  // Date.parse would read a zone-less datetime in the process's local time; stored values are UTC.
  const hasTime = text.includes('T');
  return Date.parse(hasTime && !ZONE_SUFFIX.test(text) ? `${text}Z` : text);
}

/** Epoch ms of whatever a row getter returned for a datetime column, NaN for empty or unusable values. */
export function toEpochMs(value: unknown): number {
  if (typeof value === 'string') return isoToEpochMs(value);
  if (value instanceof Date) return value.getTime();
  return NaN;
}

export function startOfUtcDay(epochMs: number): number {
  return Math.floor(epochMs / MS_PER_DAY) * MS_PER_DAY;
}

/** Weeks run Sunday through Saturday (MSDocs fetchxml/reference/includes/operator-last-week-description.md). */
export function startOfUtcWeek(epochMs: number): number {
  const day = Math.floor(epochMs / MS_PER_DAY);
  // 1970-01-01 was a Thursday (weekday 4 with Sunday = 0).
  const weekday = (((day + 4) % 7) + 7) % 7;
  return (day - weekday) * MS_PER_DAY;
}

interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function civilFromEpoch(epochMs: number): CivilDate {
  const date = new Date(epochMs);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function startOfUtcMonth(epochMs: number): number {
  const { year, month } = civilFromEpoch(epochMs);
  return daysFromCivil(year, month, 1) * MS_PER_DAY;
}

export function startOfUtcYear(epochMs: number): number {
  return daysFromCivil(civilFromEpoch(epochMs).year, 1, 1) * MS_PER_DAY;
}

/**
 * Adds calendar months keeping the time of day and clamping the day to the target month's length, as
 * .NET's DateTime.AddMonths does (Mar 31 - 1 month = Feb 29/28, not Mar 2/3 as JavaScript's Date gives).
 */
export function addUtcMonths(epochMs: number, months: number): number {
  const { year, month, day } = civilFromEpoch(epochMs);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  const timeOfDay = epochMs - startOfUtcDay(epochMs);
  return daysFromCivil(targetYear, targetMonth, targetDay) * MS_PER_DAY + timeOfDay;
}
