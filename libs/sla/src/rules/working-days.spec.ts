import {
  addWorkingDays,
  clockState,
  endOfVietnamDay,
  isWorkingDay,
  vietnamDay,
  workingDaysBetween,
} from './working-days';

// Tết 2026 as announced: Saturday 14 to Sunday 22 February.
const tet2026 = ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'];
const calendar = {
  holidays: new Set(['2026-01-01', ...tet2026, '2026-04-30', '2026-05-01']),
  workingWeekends: new Set(['2026-05-09']),
};

describe('working days', () => {
  it('skip weekends', () => {
    // Received Friday 6 March 2026: 1 working day later is Monday 9 March.
    expect(addWorkingDays('2026-03-06', 1, calendar)).toBe('2026-03-09');
    expect(addWorkingDays('2026-03-06', 5, calendar)).toBe('2026-03-13');
  });

  it('skip public holidays, Tết included', () => {
    // Received Friday 13 February 2026, the last day before Tết: 3 working days is 25 February.
    expect(addWorkingDays('2026-02-13', 3, calendar)).toBe('2026-02-25');
    expect(addWorkingDays('2026-04-29', 1, calendar)).toBe('2026-05-04');
    expect(isWorkingDay('2026-02-18', calendar)).toBe(false);
  });

  it('count a declared make-up Saturday', () => {
    expect(isWorkingDay('2026-05-09', calendar)).toBe(true);
    expect(addWorkingDays('2026-05-08', 1, calendar)).toBe('2026-05-09');
  });

  it('do not count the day of receipt, and accept zero', () => {
    expect(addWorkingDays('2026-03-09', 0, calendar)).toBe('2026-03-09');
    expect(() => addWorkingDays('2026-03-09', -1, calendar)).toThrow();
  });

  it('measure working days between dates, both ways', () => {
    expect(workingDaysBetween('2026-02-13', '2026-02-25', calendar)).toBe(3);
    expect(workingDaysBetween('2026-02-25', '2026-02-13', calendar)).toBe(-3);
    expect(workingDaysBetween('2026-03-09', '2026-03-09', calendar)).toBe(0);
  });

  it('use the day in Viet Nam, not the server zone', () => {
    // 18:30 UTC on 21 November is 01:30 on 22 November in Viet Nam.
    expect(vietnamDay(new Date('2026-11-21T18:30:00Z'))).toBe('2026-11-22');
    expect(endOfVietnamDay('2026-11-22').toISOString()).toBe('2026-11-22T16:59:59.999Z');
  });
});

describe('clock state', () => {
  const start = new Date('2026-03-02T00:00:00Z');
  const deadline = new Date('2026-03-12T00:00:00Z');

  it('is on time, then reminder due at the configured share, then breached', () => {
    expect(clockState(start, deadline, new Date('2026-03-05T00:00:00Z'), 0.75)).toBe('on_time');
    expect(clockState(start, deadline, new Date('2026-03-10T00:00:00Z'), 0.75)).toBe('reminder_due');
    expect(clockState(start, deadline, new Date('2026-03-12T00:00:01Z'), 0.75)).toBe('breached');
  });
});
