export { DeskModule, DeskWorkModule } from './desk.module';
export { CALLBACK_OUTCOMES, DeskService, PAGE_SIZE } from './desk.service';
export { ClusterAnswers } from './cluster-answers.service';
export type { AnswerRecipient, AnswerSummary, ClusterAnswer, HotIssue, RecipientPlan } from './cluster-answers.service';
export type {
  CallbackOutcome,
  CaseDetail,
  CaseList,
  CaseRow,
  PrintableLetter,
  ResponseKind,
  RevealedContact,
} from './desk.service';
export { ResponseDelivery } from './response-delivery.service';
export { SlaSweeper } from './sla-sweeper.service';
export type { SweepResult } from './sla-sweeper.service';
export { StaffNotifier } from './staff-notifier.service';
export type { NoticeRecipient } from './staff-notifier.service';
export { DESK_VIEWS, encodeCursor, filtersToQuery, parseDeskFilters } from './rules/desk-filters';
export type { DeskFilters, DeskView } from './rules/desk-filters';
export { ChannelsService } from './channels.service';
export type { LoggedCase } from './channels.service';
export { parseVietnamDateTime, subjectFrom, vietnamDateTimeValue } from './rules/channel-input';
