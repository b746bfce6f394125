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
export { caseDeadlines, reminderAt, slaTermsFor } from './rules/deadlines';
export type { SlaPriority, SlaTerms, SlaTermsTable } from './rules/deadlines';
