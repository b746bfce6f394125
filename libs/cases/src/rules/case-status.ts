// The life of a case, as plain data: which status may follow which.
export const CASE_STATUSES = [
  'received',
  'triaged',
  'assigned',
  'in_progress',
  'answered',
  'closed',
  'rejected',
  'spam',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

const TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  received: ['triaged', 'assigned', 'rejected', 'spam'],
  triaged: ['assigned', 'rejected', 'spam'],
  assigned: ['assigned', 'triaged', 'in_progress', 'answered', 'rejected', 'spam'],
  in_progress: ['assigned', 'triaged', 'answered', 'closed', 'rejected', 'spam'],
  answered: ['in_progress', 'closed'],
  closed: ['in_progress'],
  rejected: [],
  spam: [],
};

/** Statuses in which a case no longer accepts work. */
export const FINAL_STATUSES: readonly CaseStatus[] = ['rejected', 'spam'];

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** What a follow-up from the submitter does to a case. */
export type FollowUpEffect = { accepted: false } | { accepted: true; nextStatus: CaseStatus; reopened: boolean };

export function followUpEffect(status: CaseStatus): FollowUpEffect {
  switch (status) {
    case 'rejected':
    case 'spam':
      return { accepted: false };
    case 'answered':
    case 'closed':
      return { accepted: true, nextStatus: 'in_progress', reopened: true };
    case 'received':
    case 'triaged':
    case 'assigned':
    case 'in_progress':
      return { accepted: true, nextStatus: status, reopened: false };
  }
}
