export { chooseAssignee, chooseUnit } from './rules/choose-assignee';
export type {
  AssigneeChoice,
  Candidate,
  CandidateVerdict,
  Reason,
  Role,
  UnitChoice,
  UnitRule,
} from './rules/choose-assignee';
export { RoutingModule } from './routing.module';
export { RoutingService } from './routing.service';
export type { RoutedCase, RoutingDecision } from './routing.service';
