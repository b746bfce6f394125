import { TRACKING_ALPHABET, formatTrackingCode, generateTrackingCode, parseTrackingCode } from './tracking-code';

describe('tracking codes', () => {
  it('are 15 symbols from the alphabet, with at least 64 random bits', () => {
    const code = generateTrackingCode();
    expect(code).toMatch(new RegExp(`^[${TRACKING_ALPHABET}]{15}$`));
    expect(14 * Math.log2(TRACKING_ALPHABET.length)).toBeGreaterThanOrEqual(64);
  });

  it('never use look-alike characters', () => {
    for (const c of '01ILOU') expect(TRACKING_ALPHABET).not.toContain(c);
  });

  it('are grouped in fives for reading aloud and parse back from any spelling', () => {
    const code = generateTrackingCode();
    const shown = formatTrackingCode(code);
    expect(shown).toMatch(/^\w{5}-\w{5}-\w{5}$/);
    expect(parseTrackingCode(shown)).toEqual({ ok: true, code });
    expect(parseTrackingCode(` ${shown.toLowerCase().replace(/-/g, ' ')} `)).toEqual({ ok: true, code });
  });

  it('catch every single-symbol typo', () => {
    const code = generateTrackingCode();
    for (let i = 0; i < code.length; i++) {
      for (const symbol of TRACKING_ALPHABET) {
        if (symbol === code[i]) continue;
        const typo = code.slice(0, i) + symbol + code.slice(i + 1);
        expect(parseTrackingCode(typo)).toEqual({ ok: false, reason: 'checksum' });
      }
    }
  });

  it('catch most swaps of neighbouring symbols', () => {
    let caught = 0;
    let swaps = 0;
    for (let n = 0; n < 200; n++) {
      const code = generateTrackingCode();
      for (let i = 0; i < code.length - 1; i++) {
        if (code[i] === code[i + 1]) continue;
        swaps++;
        const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
        if (!parseTrackingCode(swapped).ok) caught++;
      }
    }
    expect(caught / swaps).toBeGreaterThan(0.95);
  });

  it('refuse the wrong length or foreign symbols as a format error', () => {
    expect(parseTrackingCode('ABC')).toEqual({ ok: false, reason: 'format' });
    expect(parseTrackingCode('0'.repeat(15))).toEqual({ ok: false, reason: 'format' });
  });

  it('draw every symbol from the random source', () => {
    const fixed = generateTrackingCode(() => 0);
    expect(fixed.slice(0, 14)).toBe('2'.repeat(14));
    expect(parseTrackingCode(fixed).ok).toBe(true);
  });
});
