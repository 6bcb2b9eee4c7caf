import { describe, expect, it } from 'vitest';

import {
  addUtcMonths,
  epochFromFields,
  isoToEpochMs,
  startOfUtcMonth,
  startOfUtcWeek,
  startOfUtcYear,
  toEpochMs,
} from './filter-dates.js';

const ms = (iso: string): number => Date.parse(iso);

describe('isoToEpochMs', () => {
  it.each([
    '2024-05-01T10:00:00Z',
    '2024-05-01T10:00:00.5Z',
    '2024-05-01T10:00:00.12Z',
    '2024-05-01T10:00:00.123Z',
    '2024-05-01T10:00:00.1234567Z',
    '1999-12-31T23:59:59Z',
    '2024-02-29T00:00:00Z',
    '2024-05-01T10:00:00+02:00',
    '2024-05-01',
  ])('%s agrees with Date.parse', (iso) => {
    expect(isoToEpochMs(iso)).toBe(ms(iso));
  });

  it('reads zone-less datetimes as UTC whatever the process time zone', () => {
    expect(isoToEpochMs('2024-05-01T10:00:00')).toBe(ms('2024-05-01T10:00:00Z'));
  });

  it('agrees with Date.parse on random canonical timestamps', () => {
    for (let i = 0; i < 2000; i++) {
      const iso = new Date(Math.floor(Math.random() * 4_102_444_800_000)).toISOString();
      expect(isoToEpochMs(iso)).toBe(ms(iso));
      expect(isoToEpochMs(iso.replace('.000Z', 'Z'))).toBe(ms(iso.replace('.000Z', 'Z')));
    }
  });

  it.each([
    '',
    'x',
    '2024-13-01T00:00:00Z',
    '2024-02-30T00:00:00Z',
    'aaaa-bb-ccTdd:ee:ffZ',
    '2024-05-01T10:00:00.Z',
  ])('rejects %j', (text) => {
    expect(Number.isNaN(isoToEpochMs(text))).toBe(true);
  });

  it('accepts Date instances and rejects other values', () => {
    expect(toEpochMs(new Date(5))).toBe(5);
    expect(Number.isNaN(toEpochMs(5))).toBe(true);
    expect(Number.isNaN(toEpochMs(null))).toBe(true);
  });
});

describe('calendar helpers', () => {
  it('validates fields', () => {
    expect(epochFromFields(2024, 2, 29)).toBe(ms('2024-02-29T00:00:00Z'));
    expect(Number.isNaN(epochFromFields(2023, 2, 29))).toBe(true);
    expect(epochFromFields(2024, 1, 1, 10, 0, 0, 0, 120)).toBe(ms('2024-01-01T08:00:00Z'));
  });

  it('starts weeks on Sunday', () => {
    expect(startOfUtcWeek(ms('2024-05-15T12:00:00Z'))).toBe(ms('2024-05-12T00:00:00Z'));
    expect(startOfUtcWeek(ms('2024-05-12T00:00:00Z'))).toBe(ms('2024-05-12T00:00:00Z'));
    expect(startOfUtcWeek(ms('2024-05-11T23:59:59Z'))).toBe(ms('2024-05-05T00:00:00Z'));
    expect(startOfUtcWeek(ms('1969-12-31T12:00:00Z'))).toBe(ms('1969-12-28T00:00:00Z'));
  });

  it('finds month and year starts', () => {
    expect(startOfUtcMonth(ms('2024-05-15T12:00:00Z'))).toBe(ms('2024-05-01T00:00:00Z'));
    expect(startOfUtcYear(ms('2024-05-15T12:00:00Z'))).toBe(ms('2024-01-01T00:00:00Z'));
  });

  it('adds months clamping the day like .NET AddMonths', () => {
    expect(addUtcMonths(ms('2024-03-31T10:00:00Z'), -1)).toBe(ms('2024-02-29T10:00:00Z'));
    expect(addUtcMonths(ms('2023-01-31T00:00:00Z'), 1)).toBe(ms('2023-02-28T00:00:00Z'));
    expect(addUtcMonths(ms('2024-01-15T00:00:00Z'), -13)).toBe(ms('2022-12-15T00:00:00Z'));
    expect(addUtcMonths(ms('2024-02-29T00:00:00Z'), 12)).toBe(ms('2025-02-28T00:00:00Z'));
  });
});
