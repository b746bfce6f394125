import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface Topic {
  code: string;
  name: { vi: string; en: string };
  hint: { vi: string; en: string };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Reads `topics.yaml` and refuses a file with missing names or repeated codes. */
export function loadTopics(configDir: string): Topic[] {
  const raw: unknown = parse(readFileSync(join(configDir, 'topics.yaml'), 'utf8'));
  const list = (raw as { topics?: unknown })?.topics;
  if (!Array.isArray(list) || list.length === 0) throw new Error('topics.yaml: `topics` must be a non-empty list');
  const seen = new Set<string>();
  return list.map((entry: Record<string, unknown>, index) => {
    const code = entry.code;
    const name = entry.name as Record<string, unknown> | undefined;
    const hint = (entry.hint ?? {}) as Record<string, unknown>;
    if (typeof code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(code)) {
      throw new Error(`topics.yaml: topic #${index + 1} needs a snake_case code`);
    }
    if (seen.has(code)) throw new Error(`topics.yaml: topic ${code} is listed twice`);
    seen.add(code);
    if (typeof name?.vi !== 'string' || typeof name?.en !== 'string') {
      throw new Error(`topics.yaml: topic ${code} needs name.vi and name.en`);
    }
    return {
      code,
      name: { vi: name.vi.normalize('NFC'), en: name.en },
      hint: { vi: text(hint.vi).normalize('NFC'), en: text(hint.en) },
    };
  });
}
