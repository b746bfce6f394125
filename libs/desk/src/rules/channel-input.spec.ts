import {
  durationIssues,
  parseVietnamDate,
  parseVietnamDateTime,
  receivedAtIssues,
  subjectFrom,
  vietnamDateTimeValue,
} from './channel-input';

describe('channel input', () => {
  it('reads times typed in Viet Nam time', () => {
    expect(parseVietnamDateTime('2026-11-22T09:30')?.toISOString()).toBe('2026-11-22T02:30:00.000Z');
    expect(parseVietnamDate('2026-01-01')?.toISOString()).toBe('2025-12-31T17:00:00.000Z');
    expect(vietnamDateTimeValue(new Date('2026-11-22T02:30:00Z'))).toBe('2026-11-22T09:30');
    for (const bad of ['2026-02-30T10:00', '22/11/2026 09:30', '', 42, '2026-11-22T25:00'])
      expect(parseVietnamDateTime(bad)).toBeUndefined();
  });

  it('refuses a time in the future or long ago', () => {
    const now = new Date('2026-11-22T02:30:00Z');
    expect(receivedAtIssues('calledAt', new Date('2026-11-22T02:33:00Z'), now)).toEqual({});
    expect(receivedAtIssues('calledAt', new Date('2026-11-22T03:30:00Z'), now)).toEqual({
      calledAt: { code: 'in_future' },
    });
    expect(receivedAtIssues('receivedOn', new Date('2024-01-01T00:00:00Z'), now)).toEqual({
      receivedOn: { code: 'too_old' },
    });
    expect(receivedAtIssues('calledAt', undefined, now)).toEqual({ calledAt: { code: 'invalid_value' } });
  });

  it('checks call lengths', () => {
    expect(durationIssues('12')).toEqual({ minutes: 12, issues: {} });
    expect(durationIssues('')).toEqual({ issues: {} });
    expect(durationIssues('1.5').issues).toEqual({ durationMinutes: { code: 'invalid_duration' } });
    expect(durationIssues('-1').issues).toEqual({ durationMinutes: { code: 'invalid_duration' } });
  });

  it('makes a subject from the first words of a summary', () => {
    expect(subjectFrom('  Hỏi   về lịch tiếp dân ')).toBe('Hỏi về lịch tiếp dân');
    const long =
      'Người gọi phản ánh tình trạng đường liên thôn bị sạt lở sau trận mưa lớn tuần trước, xe không qua được';
    const subject = subjectFrom(long);
    expect(subject.length).toBeLessThanOrEqual(81);
    expect(subject.endsWith('…')).toBe(true);
    expect(long.startsWith(subject.slice(0, -1))).toBe(true);
  });
});
