import { randomInt } from 'node:crypto';

// 30 symbols without look-alikes (no 0/O, 1/I/L, U/V pairs kept apart by dropping U).
export const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const PAYLOAD_LENGTH = 14; // 30^14 ~ 2^68.7 random bits
const GROUP = 5;
export const TRACKING_CODE_LENGTH = PAYLOAD_LENGTH + 1;

export type ParsedTrackingCode = { ok: true; code: string } | { ok: false; reason: 'format' | 'checksum' };

function valueOf(symbol: string): number {
  return TRACKING_ALPHABET.indexOf(symbol);
}

/** Luhn mod N check symbol: catches every single-symbol typo and most adjacent swaps. */
export function checkSymbol(payload: string): string {
  const n = TRACKING_ALPHABET.length;
  let factor = 2;
  let sum = 0;
  for (let i = payload.length - 1; i >= 0; i--) {
    let addend = factor * valueOf(payload[i]);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / n) + (addend % n);
    sum += addend;
  }
  return TRACKING_ALPHABET[(n - (sum % n)) % n];
}

/** A new random tracking code in canonical form (15 symbols, no separators). */
export function generateTrackingCode(random: (max: number) => number = randomInt): string {
  let payload = '';
  for (let i = 0; i < PAYLOAD_LENGTH; i++) {
    payload += TRACKING_ALPHABET[random(TRACKING_ALPHABET.length)];
  }
  return payload + checkSymbol(payload);
}

/** Groups a canonical code for reading aloud: `ABCDE-FGHJK-MNPQR`. */
export function formatTrackingCode(code: string): string {
  return code.match(new RegExp(`.{1,${GROUP}}`, 'g'))?.join('-') ?? code;
}

/**
 * Reads a code as a person may type it (any case, spaces or dashes between groups) and
 * verifies its check symbol, so typos are caught before any lookup.
 */
export function parseTrackingCode(input: string): ParsedTrackingCode {
  const compact = input.toUpperCase().replace(/[\s\-.]/g, '');
  if (compact.length !== TRACKING_CODE_LENGTH) return { ok: false, reason: 'format' };
  for (const symbol of compact) {
    if (valueOf(symbol) < 0) return { ok: false, reason: 'format' };
  }
  const payload = compact.slice(0, PAYLOAD_LENGTH);
  if (checkSymbol(payload) !== compact[PAYLOAD_LENGTH]) return { ok: false, reason: 'checksum' };
  return { ok: true, code: compact };
}
