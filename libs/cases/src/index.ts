export { CaseEntity } from './case.entity';
export type { Channel, Priority } from './case.entity';
export { CaseEventEntity } from './case-event.entity';
export type { EventVisibility } from './case-event.entity';
export { CasesModule } from './cases.module';
export { CasesService } from './cases.service';
export type { PublicCaseView } from './cases.service';
export { CASE_STATUSES, FINAL_STATUSES, canTransition, followUpEffect } from './rules/case-status';
export type { CaseStatus, FollowUpEffect } from './rules/case-status';
export {
  TRACKING_ALPHABET,
  TRACKING_CODE_LENGTH,
  formatTrackingCode,
  generateTrackingCode,
  parseTrackingCode,
} from './rules/tracking-code';
export type { ParsedTrackingCode } from './rules/tracking-code';
export { TopicCatalog } from './topic-catalog';
