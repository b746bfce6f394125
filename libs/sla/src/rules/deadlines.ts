// A case's deadlines from the SLA policy (config/sla.yaml): pick the terms for its topic and
// priority, then count working days from the day it was received in Viet Nam. The types are
// structural copies of those in @gopy/config, so the rules stay free of configuration code.

import { addWorkingDays, endOfVietnamDay, vietnamDay, type WorkingCalendar } from './working-days';

export type SlaPriority = 'low' | 'normal' | 'high' | 'urgent';

// Whole working days >= 0.
export interface SlaTerms {
  firstResponseDays: number;
  resolutionDays: number;
}

// The part of the SLA policy that decides deadlines.
export interface SlaTermsTable {
  byPriority: Record<SlaPriority, SlaTerms>;
  byTopic: Record<string, Partial<Record<SlaPriority, SlaTerms>>>;
}

/** The terms for a case: the topic's override for its priority, else the priority's default. */
export function slaTermsFor(policy: SlaTermsTable, topic: string, priority: SlaPriority): SlaTerms {
  const overrides = Object.hasOwn(policy.byTopic, topic) ? policy.byTopic[topic] : undefined;
  const override = overrides && Object.hasOwn(overrides, priority) ? overrides[priority] : undefined;
  if (override) return override;
  if (!Object.hasOwn(policy.byPriority, priority)) throw new Error(`no SLA terms for priority ${priority}`);
  return policy.byPriority[priority];
}

/**
 * The deadlines of a case received at `receivedAt`: the end (23:59:59.999 in Viet Nam) of the
 * day that lies the given number of working days after the day of receipt in Viet Nam.
 */
export function caseDeadlines(
  receivedAt: Date,
  terms: SlaTerms,
  calendar: WorkingCalendar,
): { firstResponseDueAt: Date; resolutionDueAt: Date } {
  if (Number.isNaN(receivedAt.getTime())) throw new Error('receivedAt is not a valid date');
  const received = vietnamDay(receivedAt);
  return {
    firstResponseDueAt: endOfVietnamDay(addWorkingDays(received, terms.firstResponseDays, calendar)),
    resolutionDueAt: endOfVietnamDay(addWorkingDays(received, terms.resolutionDays, calendar)),
  };
}

/**
 * When to remind: once `share` of the time from `startedAt` to `dueAt` has passed, rounded up
 * to the millisecond, so `clockState` reports `reminder_due` from that instant on.
 */
export function reminderAt(startedAt: Date, dueAt: Date, share: number): Date {
  if (!Number.isFinite(share) || share < 0 || share > 1) throw new Error(`reminder share must be between 0 and 1`);
  const start = startedAt.getTime();
  const span = Math.max(0, dueAt.getTime() - start);
  return new Date(start + Math.ceil(span * share));
}
