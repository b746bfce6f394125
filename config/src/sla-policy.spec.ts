import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSlaPolicy } from './sla-policy';
import { loadTopics } from './topics';

const configDir = resolve(__dirname, '..');
const topicCodes = loadTopics(configDir).map((topic) => topic.code);

function loadText(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'gopy-sla-'));
  writeFileSync(join(dir, 'sla.yaml'), text);
  return loadSlaPolicy(dir, topicCodes);
}

const PRIORITIES = [
  'priorities:',
  '  urgent: { first_response: 1, resolution: 3 }',
  '  high: { first_response: 2, resolution: 7 }',
  '  normal: { first_response: 5, resolution: 15 }',
  '  low: { first_response: 7, resolution: 30 }',
  '',
].join('\n');
const GOOD = `reminder_share: 0.75\n${PRIORITIES}`;

describe('sla.yaml', () => {
  it('loads the shipped file: all four priorities and the topic overrides', () => {
    const policy = loadSlaPolicy(configDir, topicCodes);
    expect(policy.reminderShare).toBe(0.75);
    expect(policy.byPriority.urgent).toEqual({ firstResponseDays: 1, resolutionDays: 3 });
    expect(policy.byPriority.normal).toEqual({ firstResponseDays: 5, resolutionDays: 15 });
    for (const terms of Object.values(policy.byPriority)) {
      expect(terms.firstResponseDays).toBeLessThanOrEqual(terms.resolutionDays);
    }
    expect(policy.byTopic).toEqual({ phan_anh_kien_nghi: { normal: { firstResponseDays: 3, resolutionDays: 10 } } });
    expect(policy.source).toBe(readFileSync(join(configDir, 'sla.yaml'), 'utf8'));
  });

  it('accepts a file without topic overrides and zero-day terms', () => {
    const policy = loadText(GOOD.replace('first_response: 1, resolution: 3', 'first_response: 0, resolution: 0'));
    expect(policy.byTopic).toEqual({});
    expect(policy.byPriority.urgent).toEqual({ firstResponseDays: 0, resolutionDays: 0 });
  });

  it.each([
    [
      'a fractional day',
      GOOD.replace('resolution: 15', 'resolution: 1.5'),
      'sla.yaml: priorities.normal.resolution must be a whole number of working days >= 0',
    ],
    [
      'a negative day',
      GOOD.replace('first_response: 2', 'first_response: -1'),
      'sla.yaml: priorities.high.first_response must be a whole number of working days >= 0',
    ],
    [
      'days given as text',
      GOOD.replace('resolution: 30', 'resolution: "30"'),
      'sla.yaml: priorities.low.resolution must be a whole number of working days >= 0',
    ],
    [
      'a missing field',
      GOOD.replace('first_response: 1, ', ''),
      'sla.yaml: priorities.urgent.first_response must be a whole number of working days >= 0',
    ],
    [
      'first response later than resolution',
      GOOD.replace('first_response: 5', 'first_response: 20'),
      'sla.yaml: priorities.normal.first_response (20) is later than resolution (15)',
    ],
    ['a missing priority', GOOD.replace(/ {2}low:.*\n/, ''), 'sla.yaml: priorities.low is missing'],
    [
      'an unknown priority',
      `${GOOD}  critical: { first_response: 0, resolution: 1 }\n`,
      'sla.yaml: priorities.critical is not a priority',
    ],
    [
      'a misspelt field',
      GOOD.replace('resolution: 7', 'resolution: 7, resolve: 7'),
      'sla.yaml: priorities.high has unknown key resolve',
    ],
    [
      'terms that are not a mapping',
      GOOD.replace('{ first_response: 2, resolution: 7 }', '[2, 7]'),
      'sla.yaml: priorities.high must be a mapping',
    ],
    ['no priorities', 'reminder_share: 0.75\n', 'sla.yaml: priorities must be a mapping'],
    [
      'a share of 1',
      GOOD.replace('0.75', '1'),
      'sla.yaml: reminder_share must be a number between 0 and 1 (exclusive)',
    ],
    [
      'a share of 0',
      GOOD.replace('0.75', '0'),
      'sla.yaml: reminder_share must be a number between 0 and 1 (exclusive)',
    ],
    [
      'a share given as a percentage',
      GOOD.replace('0.75', '75%'),
      'sla.yaml: reminder_share must be a number between 0 and 1 (exclusive)',
    ],
    ['a missing share', PRIORITIES, 'sla.yaml: reminder_share must be a number between 0 and 1 (exclusive)'],
    [
      'an unknown topic',
      `${GOOD}topics:\n  giao_thong:\n    normal: { first_response: 1, resolution: 2 }\n`,
      'sla.yaml: topics.giao_thong is not a topic code in topics.yaml',
    ],
    [
      'an unknown priority in a topic',
      `${GOOD}topics:\n  hoi_dap:\n    asap: { first_response: 1, resolution: 2 }\n`,
      'sla.yaml: topics.hoi_dap.asap is not a priority',
    ],
    [
      'bad terms in a topic',
      `${GOOD}topics:\n  hoi_dap:\n    normal: { first_response: 3, resolution: 2 }\n`,
      'sla.yaml: topics.hoi_dap.normal.first_response (3) is later than resolution (2)',
    ],
    ['a topic that is not a mapping', `${GOOD}topics:\n  hoi_dap: 3\n`, 'sla.yaml: topics.hoi_dap must be a mapping'],
    ['topics that are not a mapping', `${GOOD}topics: [hoi_dap]\n`, 'sla.yaml: topics must be a mapping'],
    ['an unknown top-level key', `${GOOD}topic: {}\n`, 'sla.yaml: unknown key topic'],
    ['a file that is not YAML', 'reminder_share: [0.75\n', 'sla.yaml: not valid YAML'],
  ])('refuses %s', (_, text, message) => {
    expect(() => loadText(text)).toThrow(message);
  });
});
