import { resolve } from 'node:path';
import { loadHolidays, loadSlaPolicy, loadTopics } from '@gopy/config';
import { caseDeadlines, reminderAt, slaTermsFor, type SlaTermsTable } from './deadlines';
import { clockState } from './working-days';

const configDir = resolve(__dirname, '../../../../config');
const noHolidays = { holidays: new Set<string>(), workingWeekends: new Set<string>() };

const table: SlaTermsTable = {
  byPriority: {
    urgent: { firstResponseDays: 1, resolutionDays: 3 },
    high: { firstResponseDays: 2, resolutionDays: 7 },
    normal: { firstResponseDays: 5, resolutionDays: 15 },
    low: { firstResponseDays: 7, resolutionDays: 30 },
  },
  byTopic: { phan_anh_kien_nghi: { normal: { firstResponseDays: 3, resolutionDays: 10 } } },
};

describe('slaTermsFor', () => {
  it('prefers the topic override for that priority', () => {
    expect(slaTermsFor(table, 'phan_anh_kien_nghi', 'normal')).toEqual({ firstResponseDays: 3, resolutionDays: 10 });
  });

  it('falls back to the priority default for other priorities and topics', () => {
    expect(slaTermsFor(table, 'phan_anh_kien_nghi', 'urgent')).toEqual({ firstResponseDays: 1, resolutionDays: 3 });
    expect(slaTermsFor(table, 'hoi_dap', 'normal')).toEqual({ firstResponseDays: 5, resolutionDays: 15 });
    // A topic code that happens to be an Object.prototype key is not an override.
    expect(slaTermsFor(table, 'constructor', 'low')).toEqual({ firstResponseDays: 7, resolutionDays: 30 });
  });

  it('refuses a priority it has no terms for', () => {
    expect(() => slaTermsFor(table, 'hoi_dap', 'asap' as 'low')).toThrow('no SLA terms for priority asap');
  });

  it('reads the shipped sla.yaml', () => {
    const policy = loadSlaPolicy(
      configDir,
      loadTopics(configDir).map((topic) => topic.code),
    );
    expect(slaTermsFor(policy, 'phan_anh_kien_nghi', 'normal')).toEqual({ firstResponseDays: 3, resolutionDays: 10 });
    expect(slaTermsFor(policy, 'hoi_dap', 'normal')).toEqual(policy.byPriority.normal);
  });
});

describe('caseDeadlines', () => {
  it('counts working days from the day of receipt and ends at 23:59:59.999 in Viet Nam', () => {
    // Received Friday 20 November 2026: 1 working day is Monday 23 November.
    const due = caseDeadlines(
      new Date('2026-11-20T10:00:00+07:00'),
      { firstResponseDays: 1, resolutionDays: 5 },
      noHolidays,
    );
    expect(due.firstResponseDueAt.getTime()).toBe(new Date('2026-11-23T23:59:59.999+07:00').getTime());
    expect(due.firstResponseDueAt.toISOString()).toBe('2026-11-23T16:59:59.999Z');
    expect(due.resolutionDueAt.toISOString()).toBe('2026-11-27T16:59:59.999Z');
  });

  it('takes the day in Viet Nam, not in UTC', () => {
    // 18:30 UTC on Thursday 19 November is 01:30 on Friday 20 November in Viet Nam.
    const due = caseDeadlines(
      new Date('2026-11-19T18:30:00Z'),
      { firstResponseDays: 1, resolutionDays: 1 },
      noHolidays,
    );
    expect(due.firstResponseDueAt.toISOString()).toBe('2026-11-23T16:59:59.999Z');
  });

  it('gives the end of the day of receipt for zero days', () => {
    const due = caseDeadlines(
      new Date('2026-11-20T10:00:00+07:00'),
      { firstResponseDays: 0, resolutionDays: 0 },
      noHolidays,
    );
    expect(due.firstResponseDueAt.toISOString()).toBe('2026-11-20T16:59:59.999Z');
  });

  it('skips Tết 2027 as listed in config/holidays.yaml', () => {
    const calendar = loadHolidays(configDir);
    // Received Wednesday 3 February 2027; Tết closes 4-5 and 8-10 February.
    const receivedAt = new Date('2027-02-03T15:00:00+07:00');
    const urgent = caseDeadlines(receivedAt, table.byPriority.urgent, calendar);
    expect(urgent.firstResponseDueAt.toISOString()).toBe('2027-02-11T16:59:59.999Z'); // Thursday 11
    expect(urgent.resolutionDueAt.toISOString()).toBe('2027-02-15T16:59:59.999Z'); // Monday 15
    const report = caseDeadlines(receivedAt, slaTermsFor(table, 'phan_anh_kien_nghi', 'normal'), calendar);
    expect(report.firstResponseDueAt.toISOString()).toBe('2027-02-15T16:59:59.999Z'); // Monday 15
    expect(report.resolutionDueAt.toISOString()).toBe('2027-02-24T16:59:59.999Z'); // Wednesday 24
  });

  it('refuses an invalid date', () => {
    expect(() => caseDeadlines(new Date('nonsense'), table.byPriority.low, noHolidays)).toThrow('not a valid date');
  });
});

describe('reminderAt', () => {
  it('falls when 75% of the time to the deadline has passed', () => {
    const start = new Date('2026-03-02T00:00:00Z');
    const due = new Date('2026-03-12T00:00:00Z');
    expect(reminderAt(start, due, 0.75).toISOString()).toBe('2026-03-09T12:00:00.000Z');
  });

  it('agrees with clockState to the millisecond', () => {
    const start = new Date('2026-11-20T10:17:03.123+07:00');
    const { resolutionDueAt } = caseDeadlines(start, { firstResponseDays: 1, resolutionDays: 3 }, noHolidays);
    const at = reminderAt(start, resolutionDueAt, 0.75);
    expect(clockState(start, resolutionDueAt, at, 0.75)).toBe('reminder_due');
    expect(clockState(start, resolutionDueAt, new Date(at.getTime() - 1), 0.75)).toBe('on_time');
  });

  it('refuses a share outside 0..1', () => {
    const start = new Date('2026-03-02T00:00:00Z');
    expect(() => reminderAt(start, new Date('2026-03-12T00:00:00Z'), 75)).toThrow('between 0 and 1');
  });
});
