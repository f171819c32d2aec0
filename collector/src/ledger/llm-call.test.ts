import { utcDayNumber, utcDayText, utcTimestamp } from './llm-call';

describe('utcTimestamp', () => {
  it('writes the same text as Date.toISOString, across days, leap days and the ends of a day', () => {
    const moments = [0, 1, 86_399_999, 86_400_000, Date.UTC(2024, 1, 29, 12, 0, 0, 5), Date.UTC(2026, 10, 23, 23, 59, 59, 999), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1)];
    for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2026, 0, 3); ms += 3_599_999) moments.push(ms);
    for (const ms of moments) expect(utcTimestamp(ms)).toBe(new Date(ms).toISOString());
  });

  it('numbers UTC days and writes them back as dates', () => {
    const ms = Date.UTC(2026, 10, 23, 23, 59, 59, 999);
    expect(utcDayText(utcDayNumber(ms))).toBe('2026-11-23');
    expect(utcDayText(utcDayNumber(ms + 1))).toBe('2026-11-24');
  });
});
