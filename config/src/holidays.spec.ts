import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadHolidays } from './holidays';

describe('holidays.yaml', () => {
  it('lists 2026 and 2027, Tết included, in the shipped config', () => {
    const calendar = loadHolidays(resolve(__dirname, '..'));
    expect(calendar.holidays.has('2026-02-17')).toBe(true);
    expect(calendar.names.get('2026-02-17')).toBe('Tết Nguyên đán');
    expect([...calendar.holidays].filter((d) => d.startsWith('2027')).length).toBeGreaterThanOrEqual(10);
  });

  it('refuses a repeated or malformed date', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gopy-holidays-'));
    writeFileSync(join(dir, 'holidays.yaml'), 'holidays:\n  - { date: 2026-01-01 }\n  - { date: 2026-01-01 }\n');
    expect(() => loadHolidays(dir)).toThrow('2026-01-01 is listed twice');
    writeFileSync(join(dir, 'holidays.yaml'), 'holidays:\n  - { date: "1/1/2026" }\n');
    expect(() => loadHolidays(dir)).toThrow('holiday #1 needs a date');
  });
});
