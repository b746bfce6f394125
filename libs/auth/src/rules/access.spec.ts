import { StaffPrincipal, allowedActions, canAct, canSeeCase, caseScope } from './access';

const person = (extra: Partial<StaffPrincipal>): StaffPrincipal => ({
  id: 'u',
  email: 'u@example.vn',
  fullName: 'U',
  roles: [],
  unitId: null,
  collaboratorId: null,
  ...extra,
});

const mine = { unitId: 'unit-a', assigneeId: 'collab-1' };
const colleague = { unitId: 'unit-a', assigneeId: 'collab-2' };
const elsewhere = { unitId: 'unit-b', assigneeId: 'collab-3' };
const coordinators = { unitId: null, assigneeId: null };

describe('case scope', () => {
  it('shows a collaborator only the cases assigned to them', () => {
    const collaborator = person({ roles: ['collaborator'], unitId: 'unit-a', collaboratorId: 'collab-1' });
    expect(caseScope(collaborator)).toEqual({ all: false, unitIds: [], assigneeId: 'collab-1' });
    expect(canSeeCase(collaborator, mine)).toBe(true);
    expect(canSeeCase(collaborator, colleague)).toBe(false);
    expect(canSeeCase(collaborator, coordinators)).toBe(false);
  });

  it('shows operators and unit leads their unit, and coordinators (no unit) every unit', () => {
    const lead = person({ roles: ['unit_lead'], unitId: 'unit-a' });
    expect(canSeeCase(lead, colleague)).toBe(true);
    expect(canSeeCase(lead, elsewhere)).toBe(false);
    expect(canSeeCase(lead, coordinators)).toBe(false);
    const coordinator = person({ roles: ['operator'] });
    expect(canSeeCase(coordinator, elsewhere)).toBe(true);
    expect(canSeeCase(coordinator, coordinators)).toBe(true);
  });

  it('shows the committee and admins everything', () => {
    expect(caseScope(person({ roles: ['committee'] }))).toEqual({ all: true });
    expect(caseScope(person({ roles: ['admin'], unitId: 'unit-a' }))).toEqual({ all: true });
  });
});

describe('actions', () => {
  it('lets the committee read but not act', () => {
    expect(allowedActions(person({ roles: ['committee'] }), mine)).toEqual([]);
  });

  it('lets a collaborator work only their own case, without revealing the submitter', () => {
    const collaborator = person({ roles: ['collaborator'], unitId: 'unit-a', collaboratorId: 'collab-1' });
    expect(allowedActions(collaborator, mine)).toEqual(['accept', 'decline', 'note', 'reclassify', 'respond', 'close']);
    expect(canAct(collaborator, 'respond', colleague)).toBe(false);
    expect(canAct(collaborator, 'reveal_contact', mine)).toBe(false);
  });

  it('lets unit leads and operators reveal contacts in their unit only', () => {
    const lead = person({ roles: ['unit_lead'], unitId: 'unit-a' });
    expect(canAct(lead, 'reveal_contact', colleague)).toBe(true);
    expect(canAct(lead, 'reveal_contact', elsewhere)).toBe(false);
    expect(canAct(person({ roles: ['admin'] }), 'reveal_contact', mine)).toBe(false);
  });

  it('adds up roles', () => {
    const both = person({ roles: ['collaborator', 'unit_lead'], unitId: 'unit-a', collaboratorId: 'collab-1' });
    expect(canAct(both, 'decline', mine)).toBe(true);
    expect(canAct(both, 'decline', colleague)).toBe(false);
    expect(canAct(both, 'assign', colleague)).toBe(true);
  });
});
