export {
  addDays,
  addWorkingDays,
  clockState,
  endOfVietnamDay,
  isWorkingDay,
  vietnamDay,
  workingDaysBetween,
} from './rules/working-days';
export type { IsoDate, WorkingCalendar } from './rules/working-days';
