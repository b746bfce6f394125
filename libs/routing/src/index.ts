export { chooseAssignee, chooseUnit } from './rules/choose-assignee';
export type { AssigneeChoice, Candidate, CandidateVerdict, Role, UnitChoice, UnitRule } from './rules/choose-assignee';
