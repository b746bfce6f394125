import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface HolidayCalendar {
  holidays: ReadonlySet<string>;
  workingWeekends: ReadonlySet<string>;
  names: ReadonlyMap<string, string>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dateText(value: unknown): string {
  // YAML reads 2026-01-01 as a Date unless quoted; both are accepted.
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return typeof value === 'string' ? value : '';
}

/** Reads `holidays.yaml`; refuses malformed or repeated dates, naming the entry. */
export function loadHolidays(configDir: string): HolidayCalendar {
  const raw = parse(readFileSync(join(configDir, 'holidays.yaml'), 'utf8')) as {
    holidays?: { date?: unknown; name?: unknown }[];
    working_weekends?: unknown[];
  };
  const names = new Map<string, string>();
  for (const [index, entry] of (raw?.holidays ?? []).entries()) {
    const date = dateText(entry?.date);
    if (!DATE.test(date)) throw new Error(`holidays.yaml: holiday #${index + 1} needs a date YYYY-MM-DD`);
    if (names.has(date)) throw new Error(`holidays.yaml: ${date} is listed twice`);
    names.set(date, typeof entry.name === 'string' ? entry.name.normalize('NFC') : '');
  }
  const workingWeekends = new Set((raw?.working_weekends ?? []).map(dateText));
  for (const date of workingWeekends) {
    if (!DATE.test(date)) throw new Error(`holidays.yaml: working weekend ${date} is not YYYY-MM-DD`);
  }
  return { holidays: new Set(names.keys()), workingWeekends, names };
}
