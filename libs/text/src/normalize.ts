// Text as people typed it, made safe to store and compare: NFC, no control characters,
// one newline convention. Nothing else is changed: HTML or SQL-looking text is kept verbatim.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const REPLACEMENT_CHAR = '\uFFFD';

/** Normalises user text to NFC with `\n` newlines and no C0 control characters. */
export function normalizeText(value: string): string {
  return value.normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROL_CHARS, '');
}

/** Normalises a one-line value (subject, name): NFC, inner whitespace collapsed, trimmed. */
export function normalizeLine(value: string): string {
  return normalizeText(value).replace(/\s+/g, ' ').trim();
}

/** True when the bytes are well-formed UTF-8. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * True when a decoded string carries U+FFFD, the mark a lenient decoder leaves where
 * the bytes were not valid UTF-8.
 */
export function hasReplacementChar(value: string): boolean {
  return value.includes(REPLACEMENT_CHAR);
}

/**
 * Folds Vietnamese diacritics for search and comparison: `Đường sá` -> `duong sa`.
 * `normalize('NFD')` does not decompose đ/Đ, so they are mapped by hand.
 */
export function foldDiacritics(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}
