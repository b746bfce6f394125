export { AuthModule } from './auth.module';
export { hashPassword, verifyPassword } from './password';
export { DESK_ACTIONS, STAFF_ROLES, allowedActions, canAct, canSeeCase, caseScope, inScope } from './rules/access';
export type { CaseScope, DeskAction, ScopedCase, StaffPrincipal, StaffRole } from './rules/access';
export { SessionsService } from './sessions.service';
export type { CurrentSession, OpenedSession } from './sessions.service';
export { StaffUserEntity } from './staff-user.entity';
export { StaffUsersService } from './staff-users.service';
export type { NewStaffUser, StaffUserSummary } from './staff-users.service';
