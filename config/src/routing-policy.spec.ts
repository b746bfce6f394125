import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadRoutingPolicy } from './routing-policy';
import { loadTopics } from './topics';

const configDir = resolve(__dirname, '..');
const topicCodes = loadTopics(configDir).map((topic) => topic.code);

function loadText(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'gopy-routing-'));
  writeFileSync(join(dir, 'routing.yaml'), text);
  return loadRoutingPolicy(dir, topicCodes);
}

const ROLES = 'role_by_topic: { tam_tu_du_luan: du_luan_xa_hoi }\ndefault_role: tuyen_truyen_vien\n';

describe('routing.yaml', () => {
  it('loads the shipped file: keyword rules in order, a role for every topic', () => {
    const policy = loadRoutingPolicy(configDir, topicCodes);
    expect(policy.unitRules.length).toBeGreaterThanOrEqual(2);
    expect(policy.unitRules[0]).toEqual({ unitCode: 'DV04', keywords: expect.arrayContaining(['đường sá', 'ổ gà']) });
    expect(policy.unitRules.find((rule) => rule.keywords?.includes('rác thải'))?.unitCode).toBe('DV18');
    for (const rule of policy.unitRules) {
      expect(rule.unitCode).toMatch(/^DV\d{2}$/);
      for (const word of rule.keywords ?? []) expect(word).toBe(word.normalize('NFC'));
    }
    expect(Object.keys(policy.roleByTopic).sort()).toEqual([...topicCodes].sort());
    expect(policy.roleByTopic).toMatchObject({
      gop_y_chinh_sach: 'tuyen_truyen_vien',
      phan_anh_kien_nghi: 'tuyen_truyen_vien',
      hoi_dap: 'tuyen_truyen_vien',
      tam_tu_du_luan: 'du_luan_xa_hoi',
      // Not listed: default_role.
      khen_ngoi: 'tuyen_truyen_vien',
      khac: 'tuyen_truyen_vien',
    });
    expect(policy.source).toBe(readFileSync(join(configDir, 'routing.yaml'), 'utf8'));
  });

  it('normalises keywords to NFC, upper-cases unit codes and keeps topic rules', () => {
    const nfd = 'Ô  nhiễm '.normalize('NFD');
    const policy = loadText(
      `unit_rules:\n  - { unit: dv12, keywords: ["${nfd}"] }\n  - { unit: DV02, topics: [gop_y_chinh_sach] }\n${ROLES}`,
    );
    expect(policy.unitRules).toEqual([
      { unitCode: 'DV12', keywords: ['Ô nhiễm'] },
      { unitCode: 'DV02', topics: ['gop_y_chinh_sach'] },
    ]);
  });

  it('accepts a file without rules, sending every case to the coordinators', () => {
    expect(loadText(ROLES).unitRules).toEqual([]);
  });

  it.each([
    [
      'a rule without a unit',
      'unit_rules:\n  - { unit: DV01, topics: [hoi_dap] }\n  - { keywords: [ổ gà] }\n',
      'routing.yaml: unit_rules #2 needs a unit code',
    ],
    [
      'a malformed unit code',
      'unit_rules:\n  - { unit: "DV 01", topics: [hoi_dap] }\n',
      'routing.yaml: unit_rules #1 unit DV 01 is not a unit code',
    ],
    [
      'a rule with neither topics nor keywords',
      'unit_rules:\n  - { unit: DV01 }\n',
      'routing.yaml: unit_rules #1 (DV01) needs topics or keywords',
    ],
    [
      'a rule with empty lists',
      'unit_rules:\n  - { unit: DV01, topics: [], keywords: [] }\n',
      'routing.yaml: unit_rules #1 (DV01) needs topics or keywords',
    ],
    [
      'an unknown topic in a rule',
      'unit_rules:\n  - { unit: DV01, topics: [hoi_dap, giao_thong] }\n',
      'routing.yaml: unit_rules #1 (DV01) topic #2 (giao_thong) is not a topic code in topics.yaml',
    ],
    [
      'an empty keyword',
      'unit_rules:\n  - { unit: DV07, keywords: [ổ gà, "  "] }\n',
      'routing.yaml: unit_rules #1 (DV07) keyword #2 is empty',
    ],
    [
      'a keyword that is not text',
      'unit_rules:\n  - { unit: DV07, keywords: [115] }\n',
      'routing.yaml: unit_rules #1 (DV07) keyword #1 must be text',
    ],
    [
      'keywords that are not a list',
      'unit_rules:\n  - { unit: DV07, keywords: ổ gà }\n',
      'routing.yaml: unit_rules #1 (DV07) keywords must be a list',
    ],
    [
      'topics that are not a list',
      'unit_rules:\n  - { unit: DV07, topics: hoi_dap }\n',
      'routing.yaml: unit_rules #1 (DV07) topics must be a list',
    ],
    [
      'a misspelt key in a rule',
      'unit_rules:\n  - { unit: DV07, keyword: [ổ gà] }\n',
      'routing.yaml: unit_rules #1 (DV07) has unknown key keyword',
    ],
    ['a rule that is not a mapping', 'unit_rules:\n  - DV07\n', 'routing.yaml: unit_rules #1 must be a mapping'],
    [
      'unit_rules that are not a list',
      'unit_rules: { unit: DV07, keywords: [ổ gà] }\n',
      'routing.yaml: unit_rules must be a list',
    ],
  ])('refuses %s', (_, rules, message) => {
    expect(() => loadText(rules + ROLES)).toThrow(message);
  });

  it.each([
    [
      'an unknown topic in role_by_topic',
      'role_by_topic: { hoi_dap: tuyen_truyen_vien, giao_thong: bao_cao_vien }\ndefault_role: tuyen_truyen_vien\n',
      'routing.yaml: role_by_topic names giao_thong, which is not a topic code in topics.yaml',
    ],
    [
      'an unknown role',
      'role_by_topic: { hoi_dap: chuyen_vien }\ndefault_role: tuyen_truyen_vien\n',
      'routing.yaml: role_by_topic.hoi_dap chuyen_vien is not a role',
    ],
    [
      'an unknown default role',
      'role_by_topic: {}\ndefault_role: chuyen_vien\n',
      'routing.yaml: default_role chuyen_vien is not a role',
    ],
    [
      'a topic left without a role',
      'role_by_topic: { hoi_dap: tuyen_truyen_vien }\n',
      'routing.yaml: topic gop_y_chinh_sach has no role',
    ],
    [
      'role_by_topic that is not a mapping',
      'role_by_topic: [hoi_dap]\ndefault_role: tuyen_truyen_vien\n',
      'routing.yaml: role_by_topic must be a mapping',
    ],
    ['an unknown top-level key', `unit_rule: []\n${ROLES}`, 'routing.yaml: unknown key unit_rule'],
    ['a file that is not a mapping', '- DV07\n', 'routing.yaml: must be a mapping'],
    ['a repeated key', `${ROLES}default_role: bao_cao_vien\n`, 'routing.yaml: not valid YAML'],
  ])('refuses %s', (_, text, message) => {
    expect(() => loadText(text)).toThrow(message);
  });
});
