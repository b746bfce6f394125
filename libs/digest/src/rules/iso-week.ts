// ISO weeks as the committee counts them: Monday to Sunday in Asia/Ho_Chi_Minh (UTC+7,
// no daylight saving), named "2026-W47".

const OFFSET_MS = 7 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const WEEK = /^(\d{4})-W(\d{2})$/;

export interface WeekBounds {
  week: string;
  // Monday 00:00 in Viet Nam, and the next Monday 00:00 (exclusive), as instants.
  start: Date;
  end: Date;
}

/** The ISO week an instant falls in, in Viet Nam time. */
export function isoWeekOf(instant: Date): string {
  const local = new Date(instant.getTime() + OFFSET_MS);
  const day = (local.getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
  // The Thursday of this week decides the ISO year.
  const thursday = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - day + 3));
  const year = thursday.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  const firstMonday = firstThursday.getTime() - ((firstThursday.getUTCDay() + 6) % 7) * DAY_MS;
  const week = Math.floor((thursday.getTime() - 3 * DAY_MS - firstMonday) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Start and end of an ISO week; throws on a malformed or impossible name. */
export function weekBounds(week: string): WeekBounds {
  const match = WEEK.exec(week);
  if (!match) throw new Error(`not an ISO week: ${week}`);
  const year = Number(match[1]);
  const number = Number(match[2]);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const mondayOfWeek1 = jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * DAY_MS;
  const startLocal = mondayOfWeek1 + (number - 1) * 7 * DAY_MS;
  const start = new Date(startLocal - OFFSET_MS);
  if (number < 1 || isoWeekOf(start) !== week) throw new Error(`no such ISO week: ${week}`);
  return { week, start, end: new Date(start.getTime() + 7 * DAY_MS) };
}

/** The week's Monday and Sunday as local dates (`YYYY-MM-DD`), for a "received between" filter. */
export function weekDays(week: string): { first: string; last: string } {
  const { start } = weekBounds(week);
  const day = (offset: number) => new Date(start.getTime() + OFFSET_MS + offset * DAY_MS).toISOString().slice(0, 10);
  return { first: day(0), last: day(6) };
}

export function previousWeek(week: string): string {
  return isoWeekOf(new Date(weekBounds(week).start.getTime() - DAY_MS));
}

/** The last week that has ended at `now`: the one a Monday-morning digest reports. */
export function lastCompleteWeek(now: Date): string {
  return previousWeek(isoWeekOf(now));
}

export function isIsoWeek(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    weekBounds(value);
    return true;
  } catch {
    return false;
  }
}
