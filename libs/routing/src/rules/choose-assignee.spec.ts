import { Candidate, chooseAssignee, chooseUnit } from './choose-assignee';

const person = (id: string, extra: Partial<Candidate> = {}): Candidate => ({
  id,
  name: id,
  topics: ['hoi_dap'],
  capacity: 5,
  active: true,
  onLeave: false,
  openCases: 0,
  lastAssignedAt: null,
  ...extra,
});

describe('chooseUnit', () => {
  const rules = [
    { unitCode: 'DV07', keywords: ['đường sá', 'ổ gà'] },
    { unitCode: 'DV02', topics: ['gop_y_chinh_sach'] },
  ];

  it('keeps the unit the submitter chose', () => {
    expect(chooseUnit({ unitCode: 'DV01', topic: 'hoi_dap', text: 'ổ gà' }, rules)).toEqual({
      unitCode: 'DV01',
      reason: 'unit chosen by the submitter',
      because: { code: 'unit_chosen' },
    });
  });

  it('matches keywords without diacritics and topics', () => {
    expect(chooseUnit({ topic: 'hoi_dap', text: 'Duong sa xuong cap' }, rules).unitCode).toBe('DV07');
    expect(chooseUnit({ topic: 'gop_y_chinh_sach', text: 'Dự thảo' }, rules)).toEqual({
      unitCode: 'DV02',
      reason: 'rule: topic gop_y_chinh_sach',
      because: { code: 'rule_topic', params: { topic: 'gop_y_chinh_sach' } },
    });
  });

  it('matches whole words only', () => {
    expect(chooseUnit({ topic: 'hoi_dap', text: 'Giá ở chợ gà tăng' }, rules).unitCode).toBeNull();
    expect(chooseUnit({ topic: 'hoi_dap', text: 'Có ổ gà, nguy hiểm!' }, rules).unitCode).toBe('DV07');
  });

  it('falls back to no unit (the coordinators) when nothing matches', () => {
    expect(chooseUnit({ topic: 'khac', text: 'Xin chào' }, rules).unitCode).toBeNull();
  });
});

describe('chooseAssignee', () => {
  it('picks the eligible person with the fewest open cases', () => {
    const choice = chooseAssignee('hoi_dap', [
      person('a', { openCases: 3 }),
      person('b', { openCases: 1 }),
      person('c', { openCases: 2 }),
    ]);
    expect(choice).toMatchObject({ kind: 'person', collaboratorId: 'b' });
  });

  it('explains why each other person was not eligible', () => {
    const choice = chooseAssignee('hoi_dap', [
      person('off', { active: false }),
      person('leave', { onLeave: true }),
      person('declined', { declined: true }),
      person('topic', { topics: ['khac'] }),
      person('full', { openCases: 5 }),
      person('ok', { openCases: 4 }),
    ]);
    expect(choice.kind).toBe('person');
    expect(choice.verdicts.map((v) => `${v.id}:${v.why}`)).toEqual([
      'off:inactive',
      'leave:on leave',
      'declined:declined this case',
      'topic:does not cover hoi_dap',
      'full:at capacity (5/5)',
      'ok:4/5 open',
    ]);
  });

  it('breaks ties by who waited longest, then by id', () => {
    const earlier = new Date('2026-11-01T00:00:00Z');
    const later = new Date('2026-11-20T00:00:00Z');
    expect(
      chooseAssignee('hoi_dap', [person('a', { lastAssignedAt: later }), person('b', { lastAssignedAt: earlier })]),
    ).toMatchObject({ collaboratorId: 'b' });
    expect(chooseAssignee('hoi_dap', [person('b'), person('a')])).toMatchObject({ collaboratorId: 'a' });
  });

  it('spreads a stream of cases evenly (spread of at most 1)', () => {
    const pool = ['a', 'b', 'c', 'd'].map((id) => person(id, { capacity: 100 }));
    for (let n = 0; n < 42; n++) {
      const choice = chooseAssignee('hoi_dap', pool);
      if (choice.kind !== 'person') throw new Error('nobody');
      const chosen = pool.find((p) => p.id === choice.collaboratorId) as Candidate;
      chosen.openCases++;
      chosen.lastAssignedAt = new Date(1_800_000_000_000 + n);
    }
    const loads = pool.map((p) => p.openCases);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
  });

  it('says nobody when no one is eligible, so the fallback queue takes it', () => {
    expect(chooseAssignee('hoi_dap', [person('x', { onLeave: true })])).toMatchObject({
      kind: 'nobody',
      reason: 'no eligible collaborator',
    });
    expect(chooseAssignee('hoi_dap', [])).toMatchObject({
      kind: 'nobody',
      reason: 'no collaborator in this unit and role',
    });
  });
});
