import { CASE_STATUSES, canTransition, followUpEffect } from './case-status';

describe('case status transitions', () => {
  it('follow the life cycle forwards', () => {
    expect(canTransition('received', 'triaged')).toBe(true);
    expect(canTransition('triaged', 'assigned')).toBe(true);
    expect(canTransition('assigned', 'in_progress')).toBe(true);
    expect(canTransition('in_progress', 'answered')).toBe(true);
    expect(canTransition('answered', 'closed')).toBe(true);
  });

  it('allow reopening a closed case but never leaving spam or rejected', () => {
    expect(canTransition('closed', 'in_progress')).toBe(true);
    for (const to of CASE_STATUSES) {
      expect(canTransition('spam', to)).toBe(false);
      expect(canTransition('rejected', to)).toBe(false);
    }
  });

  it('do not skip from received straight to answered or closed', () => {
    expect(canTransition('received', 'answered')).toBe(false);
    expect(canTransition('received', 'closed')).toBe(false);
  });
});

describe('follow-ups', () => {
  it('reopen answered and closed cases', () => {
    expect(followUpEffect('answered')).toEqual({ accepted: true, nextStatus: 'in_progress', reopened: true });
    expect(followUpEffect('closed')).toEqual({ accepted: true, nextStatus: 'in_progress', reopened: true });
  });

  it('continue open cases without changing their status', () => {
    expect(followUpEffect('assigned')).toEqual({ accepted: true, nextStatus: 'assigned', reopened: false });
  });

  it('are refused on spam and rejected cases', () => {
    expect(followUpEffect('spam')).toEqual({ accepted: false });
    expect(followUpEffect('rejected')).toEqual({ accepted: false });
  });
});
