// Checks for what an operator types when logging a call or a letter, before intake's own.
import type { FieldIssues } from '@gopy/errors';

const VIET_NAM_OFFSET_MS = 7 * 3600 * 1000;

/** "2026-11-22T09:30" typed in Viet Nam time, as an instant; undefined when not a valid time. */
export function parseVietnamDateTime(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return undefined;
  const instant = new Date(`${value}:00Z`);
  if (Number.isNaN(instant.getTime()) || instant.toISOString().slice(0, 16) !== value) return undefined;
  return new Date(instant.getTime() - VIET_NAM_OFFSET_MS);
}

/** "2026-11-22" as the start of that day in Viet Nam; undefined when not a valid date. */
export function parseVietnamDate(value: unknown): Date | undefined {
  return typeof value === 'string' ? parseVietnamDateTime(`${value}T00:00`) : undefined;
}

/** The value a datetime-local field shows for an instant, in Viet Nam time. */
export function vietnamDateTimeValue(instant: Date): string {
  return new Date(instant.getTime() + VIET_NAM_OFFSET_MS).toISOString().slice(0, 16);
}

/** A subject from the first words of a summary, when the operator leaves it empty. */
export function subjectFrom(summary: string, max = 80): string {
  const line = summary.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > 20 ? cut.slice(0, space) : cut).trim()}…`;
}

/** When a call or letter was received: a valid time, not in the future, not before last year. */
export function receivedAtIssues(field: string, at: Date | undefined, now: Date): FieldIssues {
  if (!at) return { [field]: { code: 'invalid_value' } };
  if (at.getTime() > now.getTime() + 5 * 60_000) return { [field]: { code: 'in_future' } };
  if (at.getTime() < now.getTime() - 400 * 24 * 3600_000) return { [field]: { code: 'too_old' } };
  return {};
}

/** A call's length in whole minutes, 0 to 600; empty means not noted. */
export function durationIssues(value: unknown): { minutes?: number; issues: FieldIssues } {
  if (value === undefined || value === '') return { issues: {} };
  const minutes = Number(value);
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 600)
    return { issues: { durationMinutes: { code: 'invalid_duration' } } };
  return { minutes, issues: {} };
}
