import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export type SlaPriority = 'low' | 'normal' | 'high' | 'urgent';

// Whole working days >= 0, first response no later than resolution.
export interface SlaTerms {
  firstResponseDays: number;
  resolutionDays: number;
}

export interface SlaPolicy {
  // 0 < share < 1, e.g. 0.75: remind when 75% of the time to a deadline has passed.
  reminderShare: number;
  // All four priorities.
  byPriority: Record<SlaPriority, SlaTerms>;
  // Overrides by topic code, per priority.
  byTopic: Record<string, Partial<Record<SlaPriority, SlaTerms>>>;
  // The YAML text as read, shown read-only to admins.
  source: string;
}

const FILE = 'sla.yaml';
const PRIORITIES: readonly SlaPriority[] = ['urgent', 'high', 'normal', 'low'];
const TOP_KEYS = ['reminder_share', 'priorities', 'topics'];
const TERM_KEYS = ['first_response', 'resolution'];

function fail(message: string): never {
  throw new Error(`${FILE}: ${message}`);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPriority(value: string): value is SlaPriority {
  return (PRIORITIES as readonly string[]).includes(value);
}

function days(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(`${where} must be a whole number of working days >= 0`);
  }
  return value;
}

function terms(value: unknown, where: string): SlaTerms {
  if (!isMapping(value)) fail(`${where} must be a mapping like {first_response: 5, resolution: 15}`);
  const extra = Object.keys(value).find((key) => !TERM_KEYS.includes(key));
  if (extra) fail(`${where} has unknown key ${extra} (expected ${TERM_KEYS.join(', ')})`);
  const firstResponseDays = days(value.first_response, `${where}.first_response`);
  const resolutionDays = days(value.resolution, `${where}.resolution`);
  if (firstResponseDays > resolutionDays) {
    fail(`${where}.first_response (${firstResponseDays}) is later than resolution (${resolutionDays})`);
  }
  return { firstResponseDays, resolutionDays };
}

function reminderShare(value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    fail('reminder_share must be a number between 0 and 1 (exclusive), e.g. 0.75');
  }
  return value;
}

function byPriority(value: unknown): Record<SlaPriority, SlaTerms> {
  if (!isMapping(value)) fail(`priorities must be a mapping with ${PRIORITIES.join(', ')}`);
  const extra = Object.keys(value).find((key) => !isPriority(key));
  if (extra) fail(`priorities.${extra} is not a priority (expected ${PRIORITIES.join(', ')})`);
  const missing = PRIORITIES.find((priority) => !Object.hasOwn(value, priority));
  if (missing) fail(`priorities.${missing} is missing`);
  return {
    urgent: terms(value.urgent, 'priorities.urgent'),
    high: terms(value.high, 'priorities.high'),
    normal: terms(value.normal, 'priorities.normal'),
    low: terms(value.low, 'priorities.low'),
  };
}

function byTopic(value: unknown, known: ReadonlySet<string>): SlaPolicy['byTopic'] {
  if (value === undefined || value === null) return {};
  if (!isMapping(value)) fail('topics must be a mapping of topic code to priorities');
  const result: SlaPolicy['byTopic'] = {};
  for (const [topic, overrides] of Object.entries(value)) {
    if (!known.has(topic)) fail(`topics.${topic} is not a topic code in topics.yaml`);
    if (!isMapping(overrides)) fail(`topics.${topic} must be a mapping of priority to deadlines`);
    const entry: Partial<Record<SlaPriority, SlaTerms>> = {};
    for (const [priority, given] of Object.entries(overrides)) {
      if (!isPriority(priority)) {
        fail(`topics.${topic}.${priority} is not a priority (expected ${PRIORITIES.join(', ')})`);
      }
      entry[priority] = terms(given, `topics.${topic}.${priority}`);
    }
    result[topic] = entry;
  }
  return result;
}

/**
 * Reads `sla.yaml`: the reminder share, the deadlines for every priority and the overrides by
 * topic. Refuses a malformed file, naming the entry.
 */
export function loadSlaPolicy(configDir: string, topicCodes: readonly string[]): SlaPolicy {
  const source = readFileSync(join(configDir, FILE), 'utf8');
  let raw: unknown;
  try {
    raw = parse(source);
  } catch (error) {
    fail(`not valid YAML: ${(error as Error).message}`);
  }
  if (!isMapping(raw)) fail('must be a mapping with reminder_share, priorities and topics');
  const extra = Object.keys(raw).find((key) => !TOP_KEYS.includes(key));
  if (extra) fail(`unknown key ${extra} (expected ${TOP_KEYS.join(', ')})`);
  return {
    reminderShare: reminderShare(raw.reminder_share),
    byPriority: byPriority(raw.priorities),
    byTopic: byTopic(raw.topics, new Set(topicCodes)),
    source,
  };
}
