// Who may see and do what on the desk, as plain data. Roles add up: a person with two
// roles may do what either allows. Scope answers "which cases exist for this person";
// a case outside it is answered as not found, never as forbidden.

export const STAFF_ROLES = ['operator', 'collaborator', 'unit_lead', 'committee', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface StaffPrincipal {
  id: string;
  email: string;
  fullName: string;
  roles: readonly StaffRole[];
  unitId: string | null;
  collaboratorId: string | null;
}

/** The cases a person may see: all of them, or those of some units and/or assigned to them. */
export type CaseScope = { all: true } | { all: false; unitIds: string[]; assigneeId: string | null };

export interface ScopedCase {
  unitId: string | null;
  assigneeId: string | null;
}

export const DESK_ACTIONS = [
  'accept',
  'decline',
  'note',
  'reclassify',
  'assign',
  'respond',
  'close',
  'reopen',
  'merge',
  'spam',
  'reveal_contact',
] as const;
export type DeskAction = (typeof DESK_ACTIONS)[number];

const has = (principal: StaffPrincipal, role: StaffRole) => principal.roles.includes(role);

// Operators and unit leads without a unit are the committee's coordinators: every unit.
const coordinates = (principal: StaffPrincipal) =>
  (has(principal, 'operator') || has(principal, 'unit_lead')) && principal.unitId === null;

export function caseScope(principal: StaffPrincipal): CaseScope {
  if (has(principal, 'admin') || has(principal, 'committee') || coordinates(principal)) return { all: true };
  const unitIds =
    (has(principal, 'operator') || has(principal, 'unit_lead')) && principal.unitId ? [principal.unitId] : [];
  const assigneeId = has(principal, 'collaborator') ? principal.collaboratorId : null;
  return { all: false, unitIds, assigneeId };
}

export function inScope(scope: CaseScope, found: ScopedCase): boolean {
  if (scope.all) return true;
  if (found.unitId !== null && scope.unitIds.includes(found.unitId)) return true;
  return scope.assigneeId !== null && found.assigneeId === scope.assigneeId;
}

export function canSeeCase(principal: StaffPrincipal, found: ScopedCase): boolean {
  return inScope(caseScope(principal), found);
}

// Actions a role may take on a case it can see. The committee reads; admins manage the
// directory and accounts and may correct a case; only those who call or write back to
// submitters (operators, unit leads) may reveal who wrote.
const ROLE_ACTIONS: Record<StaffRole, readonly DeskAction[]> = {
  collaborator: ['accept', 'decline', 'note', 'reclassify', 'respond', 'close'],
  operator: ['accept', 'note', 'reclassify', 'assign', 'respond', 'close', 'reopen', 'merge', 'spam', 'reveal_contact'],
  unit_lead: ['note', 'reclassify', 'assign', 'respond', 'close', 'reopen', 'merge', 'spam', 'reveal_contact'],
  committee: [],
  admin: ['note', 'reclassify', 'assign', 'reopen', 'merge', 'spam'],
};

/** Whether the person may take this action on a case they can see. */
export function canAct(principal: StaffPrincipal, action: DeskAction, found: ScopedCase): boolean {
  if (!canSeeCase(principal, found)) return false;
  return principal.roles.some((role) => {
    if (!ROLE_ACTIONS[role].includes(action)) return false;
    // A collaborator acts as a collaborator only on cases assigned to them.
    if (role === 'collaborator')
      return principal.collaboratorId !== null && found.assigneeId === principal.collaboratorId;
    if (role === 'operator' || role === 'unit_lead')
      return principal.unitId === null || principal.unitId === found.unitId;
    return true;
  });
}

/** The actions a person may take on a case, for the buttons the case page shows. */
export function allowedActions(principal: StaffPrincipal, found: ScopedCase): DeskAction[] {
  return DESK_ACTIONS.filter((action) => canAct(principal, action, found));
}
