import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export type CollaboratorRole = 'tuyen_truyen_vien' | 'du_luan_xa_hoi' | 'bao_cao_vien';

export interface RoutingPolicy {
  // In order, first match wins.
  unitRules: { unitCode: string; topics?: string[]; keywords?: string[] }[];
  // Every topic code present.
  roleByTopic: Record<string, CollaboratorRole>;
  // The YAML text as read, shown read-only to admins.
  source: string;
}

const FILE = 'routing.yaml';
const ROLES: readonly CollaboratorRole[] = ['tuyen_truyen_vien', 'du_luan_xa_hoi', 'bao_cao_vien'];
// Same shape the unit directory accepts (libs/directory), stored upper-case.
const UNIT_CODE = /^[A-Za-z0-9_-]{1,32}$/;
const TOP_KEYS = ['unit_rules', 'role_by_topic', 'default_role'];
const RULE_KEYS = ['unit', 'topics', 'keywords'];

function fail(message: string): never {
  throw new Error(`${FILE}: ${message}`);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRole(value: unknown): value is CollaboratorRole {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

// A value from the file as the admin wrote it, for error messages.
function shown(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

function roleList(): string {
  return ROLES.join(', ');
}

function ruleTopics(value: unknown, where: string, known: ReadonlySet<string>): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fail(`${where} topics must be a list of topic codes`);
  return value.map((topic: unknown, index) => {
    if (typeof topic !== 'string' || !known.has(topic)) {
      fail(`${where} topic #${index + 1} (${shown(topic)}) is not a topic code in topics.yaml`);
    }
    return topic;
  });
}

function ruleKeywords(value: unknown, where: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fail(`${where} keywords must be a list of words`);
  return value.map((word: unknown, index) => {
    if (typeof word !== 'string') fail(`${where} keyword #${index + 1} must be text`);
    const text = word.normalize('NFC').replace(/\s+/g, ' ').trim();
    if (!text) fail(`${where} keyword #${index + 1} is empty`);
    return text;
  });
}

function unitRules(value: unknown, known: ReadonlySet<string>): RoutingPolicy['unitRules'] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail('unit_rules must be a list');
  return value.map((entry: unknown, index) => {
    const at = `unit_rules #${index + 1}`;
    if (!isMapping(entry)) fail(`${at} must be a mapping like {unit: DV01, keywords: [...]}`);
    const unit = entry.unit;
    if (unit === undefined || unit === null || unit === '') fail(`${at} needs a unit code`);
    if (typeof unit !== 'string' || !UNIT_CODE.test(unit)) {
      fail(`${at} unit ${shown(unit)} is not a unit code (letters, digits, _ or -)`);
    }
    const unitCode = unit.toUpperCase();
    const where = `${at} (${unitCode})`;
    const extra = Object.keys(entry).find((key) => !RULE_KEYS.includes(key));
    if (extra) fail(`${where} has unknown key ${extra} (expected ${RULE_KEYS.join(', ')})`);
    const topics = ruleTopics(entry.topics, where, known);
    const keywords = ruleKeywords(entry.keywords, where);
    if (!topics?.length && !keywords?.length) fail(`${where} needs topics or keywords`);
    return {
      unitCode,
      ...(topics?.length ? { topics } : {}),
      ...(keywords?.length ? { keywords } : {}),
    };
  });
}

function rolesByTopic(
  value: unknown,
  fallback: unknown,
  topicCodes: readonly string[],
  known: ReadonlySet<string>,
): Record<string, CollaboratorRole> {
  let listed: Record<string, unknown> = {};
  if (value !== undefined && value !== null) {
    if (!isMapping(value)) fail('role_by_topic must be a mapping of topic code to role');
    listed = value;
  }
  if (fallback !== undefined && fallback !== null && !isRole(fallback)) {
    fail(`default_role ${shown(fallback)} is not a role (expected one of ${roleList()})`);
  }
  for (const [topic, role] of Object.entries(listed)) {
    if (!known.has(topic)) fail(`role_by_topic names ${topic}, which is not a topic code in topics.yaml`);
    if (!isRole(role)) fail(`role_by_topic.${topic} ${shown(role)} is not a role (expected one of ${roleList()})`);
  }
  const roles: Record<string, CollaboratorRole> = {};
  for (const topic of topicCodes) {
    const role = Object.hasOwn(listed, topic) ? listed[topic] : fallback;
    if (!isRole(role)) fail(`topic ${topic} has no role: list it in role_by_topic or set default_role`);
    roles[topic] = role;
  }
  return roles;
}

/**
 * Reads `routing.yaml`: the unit rules (in order, first match wins) and the collaborator role
 * for every topic. Refuses a malformed file, naming the entry.
 */
export function loadRoutingPolicy(configDir: string, topicCodes: readonly string[]): RoutingPolicy {
  const source = readFileSync(join(configDir, FILE), 'utf8');
  let raw: unknown;
  try {
    raw = parse(source);
  } catch (error) {
    fail(`not valid YAML: ${(error as Error).message}`);
  }
  if (!isMapping(raw)) fail('must be a mapping with unit_rules, role_by_topic and default_role');
  const extra = Object.keys(raw).find((key) => !TOP_KEYS.includes(key));
  if (extra) fail(`unknown key ${extra} (expected ${TOP_KEYS.join(', ')})`);
  const known = new Set(topicCodes);
  return {
    unitRules: unitRules(raw.unit_rules, known),
    roleByTopic: rolesByTopic(raw.role_by_topic, raw.default_role, topicCodes, known),
    source,
  };
}
