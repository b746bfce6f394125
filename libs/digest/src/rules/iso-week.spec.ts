import { isIsoWeek, isoWeekOf, lastCompleteWeek, previousWeek, weekBounds, weekDays } from './iso-week';

describe('ISO weeks in Viet Nam time', () => {
  it('names weeks by Viet Nam dates, Monday first', () => {
    // Sunday 22 Nov 2026 23:59 in Viet Nam is still week 47; Monday 00:00 is week 48.
    expect(isoWeekOf(new Date('2026-11-22T16:59:00Z'))).toBe('2026-W47');
    expect(isoWeekOf(new Date('2026-11-22T17:00:00Z'))).toBe('2026-W48');
    // Years that start or end mid-week.
    expect(isoWeekOf(new Date('2026-12-31T05:00:00Z'))).toBe('2026-W53');
    expect(isoWeekOf(new Date('2027-01-03T05:00:00Z'))).toBe('2026-W53');
    expect(isoWeekOf(new Date('2027-01-04T05:00:00Z'))).toBe('2027-W01');
  });

  it('gives each week its Monday-to-Monday bounds', () => {
    expect(weekBounds('2026-W47')).toEqual({
      week: '2026-W47',
      start: new Date('2026-11-15T17:00:00Z'),
      end: new Date('2026-11-22T17:00:00Z'),
    });
    expect(weekDays('2026-W47')).toEqual({ first: '2026-11-16', last: '2026-11-22' });
    expect(weekDays('2026-W53')).toEqual({ first: '2026-12-28', last: '2027-01-03' });
    expect(previousWeek('2027-W01')).toBe('2026-W53');
    expect(lastCompleteWeek(new Date('2026-11-23T00:00:00Z'))).toBe('2026-W47');
  });

  it('refuses names that are not weeks', () => {
    for (const bad of ['2026-W00', '2025-W53', '2026-47', 'W47', '2026-W5']) expect(isIsoWeek(bad)).toBe(false);
    expect(isIsoWeek('2026-W53')).toBe(true);
  });
});
