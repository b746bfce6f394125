// Deadlines in working days, as the organisation counts them: Monday to Friday in
// Asia/Ho_Chi_Minh, minus public holidays (config/holidays.yaml). Plain functions on
// calendar dates ("YYYY-MM-DD"), so time zones and DST never shift a day.

export type IsoDate = string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const VIET_NAM_OFFSET_MS = 7 * 3600 * 1000; // UTC+7 all year, no daylight saving

export interface WorkingCalendar {
  holidays: ReadonlySet<IsoDate>;
  // Saturdays or Sundays declared working days (make-up days for a bridged holiday).
  workingWeekends: ReadonlySet<IsoDate>;
}

function toDate(day: IsoDate): Date {
  if (!ISO_DATE.test(day)) throw new Error(`not a date: ${day}`);
  return new Date(`${day}T00:00:00Z`);
}

function toIso(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: IsoDate, days: number): IsoDate {
  const date = toDate(day);
  date.setUTCDate(date.getUTCDate() + days);
  return toIso(date);
}

/** The calendar day in Viet Nam at an instant. */
export function vietnamDay(instant: Date): IsoDate {
  return toIso(new Date(instant.getTime() + VIET_NAM_OFFSET_MS));
}

export function isWorkingDay(day: IsoDate, calendar: WorkingCalendar): boolean {
  if (calendar.holidays.has(day)) return false;
  const weekday = toDate(day).getUTCDay();
  if (weekday === 0 || weekday === 6) return calendar.workingWeekends.has(day);
  return true;
}

/**
 * The day a deadline of `workingDays` falls on for something received on `received`: the
 * day of receipt does not count (like the law's "within N working days"), each following
 * working day counts one.
 */
export function addWorkingDays(received: IsoDate, workingDays: number, calendar: WorkingCalendar): IsoDate {
  if (!Number.isInteger(workingDays) || workingDays < 0) throw new Error(`working days must be a whole number >= 0`);
  let day = received;
  let left = workingDays;
  while (left > 0) {
    day = addDays(day, 1);
    if (isWorkingDay(day, calendar)) left--;
  }
  return day;
}

/** Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is earlier. */
export function workingDaysBetween(from: IsoDate, to: IsoDate, calendar: WorkingCalendar): number {
  if (to === from) return 0;
  const forward = to > from;
  let day = from;
  let count = 0;
  while (day !== to) {
    day = addDays(day, forward ? 1 : -1);
    if (isWorkingDay(day, calendar)) count++;
  }
  return forward ? count : -count;
}

/** The end of the deadline day in Viet Nam (23:59:59.999 local) as an instant. */
export function endOfVietnamDay(day: IsoDate): Date {
  return new Date(toDate(day).getTime() + 24 * 3600 * 1000 - 1 - VIET_NAM_OFFSET_MS);
}

/** Where a case stands against its deadline: on time, reminder due, or breached. */
export function clockState(
  startedAt: Date,
  deadline: Date,
  now: Date,
  reminderShare: number,
): 'on_time' | 'reminder_due' | 'breached' {
  if (now.getTime() > deadline.getTime()) return 'breached';
  const elapsed = (now.getTime() - startedAt.getTime()) / Math.max(1, deadline.getTime() - startedAt.getTime());
  return elapsed >= reminderShare ? 'reminder_due' : 'on_time';
}
