import iconv from 'iconv-lite';

// Vietnamese text as it arrives by mail: UTF-8, windows-1258 (decoded by iconv-lite into
// base letters + combining marks, so NFC it), or the 1990s font encodings TCVN3 (ABC) and
// VNI-Windows, whose bytes were sent labelled windows-1252/iso-8859-1 or not labelled at all.
// Legacy text is recognised by decoding it every plausible way and keeping the decoding with
// clearly more valid Vietnamese syllables than the declared one.

// ---------------------------------------------------------------------------------------
// Syllables: onset + vowel nucleus (+ coda), at most one tone mark; a stop coda (c, ch, p, t)
// takes only the sắc or nặng tone. Loose on purpose: it separates Vietnamese from mojibake.

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const ONSET = '(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?';
const CLOSED = '(?:uyê|iê|yê|uô|ươ|oa|oă|oe|uâ|uê|uy|oo|[aăâeêioôơuưy])(?:ch|c|ng|nh|m|n|p|t)';
const OPEN =
  '(?:iêu|yêu|uôi|ươi|ươu|oai|oay|oao|oeo|uây|uya|uyu|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|ưa|ưi|ưu|uơ|oa|oe|uê|uy|[aeêioôơuưy])';
const SYLLABLE = new RegExp(`^${ONSET}(?:${CLOSED}|${OPEN})$`);
const STOP_CODA = /(?:c|ch|p|t)$/;

/** True when `word` is a well-formed Vietnamese syllable (any case, NFC or NFD). */
export function isVietnameseSyllable(word: string): boolean {
  const nfd = word.toLowerCase().normalize('NFD');
  const tones = nfd.match(TONE_MARKS) ?? [];
  if (tones.length > 1) return false;
  const bare = nfd.replace(TONE_MARKS, '').normalize('NFC');
  if (!SYLLABLE.test(bare)) return false;
  return !STOP_CODA.test(bare) || tones[0] === '\u0301' || tones[0] === '\u0323';
}

const EDGE_PUNCTUATION = /^[.,;:!?"'()[\]{}«»“”‘’…*]+|[.,;:!?"'()[\]{}«»“”‘’…*]+$/g;
const MAX_TOKENS = 5000;

/** Counts word-like tokens and how many of them are Vietnamese syllables. */
export function syllableScore(text: string): { valid: number; total: number } {
  let valid = 0;
  let total = 0;
  const words = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#?\w+;/g, ' ')
    .split(/[\s\-–—]+/);
  for (const raw of words) {
    const token = raw.replace(EDGE_PUNCTUATION, '');
    if (!token || /[\d@/\\=_#%&+<>|~^$]/.test(token) || !/\p{L}/u.test(token)) continue;
    total++;
    if (isVietnameseSyllable(token)) valid++;
    if (total >= MAX_TOKENS) break;
  }
  return { valid, total };
}

/** The declared reading unless another one has clearly more valid syllables. */
function pickBest(declared: string, candidates: string[]): string {
  const base = syllableScore(declared);
  let best = declared;
  let bestScore = base;
  for (const candidate of candidates) {
    const score = syllableScore(candidate);
    if (score.valid > bestScore.valid) {
      best = candidate;
      bestScore = score;
    }
  }
  // Clearly better: more valid syllables by a margin, and mostly Vietnamese itself.
  const margin = Math.max(1, Math.ceil(0.1 * Math.max(base.total, bestScore.total)));
  const mostlyVietnamese = bestScore.valid >= 0.5 * bestScore.total;
  return bestScore.valid - base.valid >= margin && mostlyVietnamese ? best : declared;
}

// ---------------------------------------------------------------------------------------
// VNI-Windows: a base letter followed by one code byte for shape and tone, shown here as the
// windows-1252 glyphs the bytes turn into ("Vieät Nam" = "Việt Nam", "ñöôøng" = "đường").

const TONES = ['\u0301', '\u0300', '\u0309', '\u0303', '\u0323']; // sắc, huyền, hỏi, ngã, nặng
const TONE_CODES = 'ùøûõï'; // after a, e, o, ơ, u, ư, y
const CIRCUMFLEX_CODES = 'âáàåãä'; // â/ê/ô, then with each tone
const BREVE_CODES = 'êéèúüë'; // ă, then with each tone

function buildVniTable(): Map<string, string> {
  const table = new Map<string, string>();
  const add = (glyphs: string, lower: string): void => {
    // Upper-case base letters give upper-case letters; code bytes are read in either case.
    const variants: [string, string][] = [
      [glyphs, lower],
      [glyphs[0].toUpperCase() + glyphs.slice(1), lower.toUpperCase()],
      [glyphs[0].toUpperCase() + glyphs.slice(1).toUpperCase(), lower.toUpperCase()],
    ];
    for (const [key, value] of variants) table.set(key, value.normalize('NFC'));
  };
  // Base glyph -> [letter it stands for, shape codes it takes].
  const bases: [string, string, [string, string][]][] = [
    [
      'a',
      'a',
      [
        [CIRCUMFLEX_CODES, '\u0302'],
        [BREVE_CODES, '\u0306'],
      ],
    ],
    ['e', 'e', [[CIRCUMFLEX_CODES, '\u0302']]],
    ['o', 'o', [[CIRCUMFLEX_CODES, '\u0302']]],
    ['ô', 'ơ', []],
    ['u', 'u', []],
    ['ö', 'ư', []],
    ['y', 'y', []],
  ];
  for (const [glyph, letter, shapes] of bases) {
    if (glyph !== letter) add(glyph, letter);
    TONES.forEach((tone, i) => add(glyph + TONE_CODES[i], letter + tone));
    for (const [codes, shape] of shapes) {
      add(glyph + codes[0], letter + shape);
      TONES.forEach((tone, i) => add(glyph + codes[i + 1], letter + shape + tone));
    }
  }
  // Single bytes: i with a tone, ỵ, đ.
  [...'íìæóò'].forEach((glyph, i) => add(glyph, 'i' + TONES[i]));
  add('î', 'ỵ');
  add('ñ', 'đ');
  return table;
}

const VNI_TABLE = buildVniTable();

/** Reads a string of windows-1252 glyphs as VNI-Windows text. */
export function vniToUnicode(glyphs: string): string {
  let out = '';
  for (let i = 0; i < glyphs.length;) {
    const pair = VNI_TABLE.get(glyphs.slice(i, i + 2));
    if (pair !== undefined && i + 1 < glyphs.length) {
      out += pair;
      i += 2;
      continue;
    }
    out += VNI_TABLE.get(glyphs[i]) ?? glyphs[i];
    i++;
  }
  return out.normalize('NFC');
}

// ---------------------------------------------------------------------------------------
// Charsets

// Labels under which legacy font text travelled, plus no label at all.
const WESTERN = new Set([
  '',
  'ascii',
  'us-ascii',
  'ansi_x3.4-1968',
  'iso-8859-1',
  'iso8859-1',
  'latin1',
  'iso-8859-15',
  'windows-1252',
  'cp1252',
  'x-unknown',
  'unknown-8bit',
  'unknown',
  'x-user-defined',
  'default',
]);

function canonicalCharset(declared: string | undefined): string {
  const name = (declared ?? '')
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (/^utf-?8$/.test(name)) return 'utf-8';
  if (/^(?:windows|cp|x-cp)-?1258$/.test(name)) return 'windows-1258';
  return name;
}

function isValidUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const CP1252_HIGH = new Map<string, number>();
for (let byte = 0x80; byte < 0xa0; byte++) {
  const glyph = iconv.decode(Buffer.from([byte]), 'windows-1252');
  if (glyph !== '\uFFFD') CP1252_HIGH.set(glyph, byte);
}

/** The bytes a windows-1252 (or latin1) decoder read `text` from; null when it cannot have. */
function cp1252Bytes(text: string): Buffer | null {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x100) bytes.push(code);
    else if (CP1252_HIGH.has(char)) bytes.push(CP1252_HIGH.get(char) ?? 0x3f);
    else if (char === '\uFFFD') bytes.push(0x3f);
    else return null;
  }
  return Buffer.from(bytes);
}

/** Every legacy reading of the same bytes. */
function legacyReadings(bytes: Buffer, glyphs: string): string[] {
  const readings = [
    iconv.decode(bytes, 'tcvn').normalize('NFC'),
    vniToUnicode(glyphs),
    iconv.decode(bytes, 'windows-1258').normalize('NFC'),
  ];
  if (isValidUtf8(bytes)) readings.push(bytes.toString('utf8').normalize('NFC'));
  return readings;
}

/**
 * Decodes a body or header to NFC Unicode. UTF-8 and specific charsets (windows-1258, tcvn,
 * viscii, ...) are trusted; Western or missing labels are checked for TCVN3, VNI-Windows,
 * windows-1258 and UTF-8 text, kept only when clearly more Vietnamese than the label's reading.
 */
export function decodeVietnamese(bytes: Buffer, declaredCharset?: string): string {
  const charset = canonicalCharset(declaredCharset);
  const utf8 = isValidUtf8(bytes);
  if (charset === 'utf-8' && utf8) return bytes.toString('utf8').normalize('NFC');
  if (charset !== 'utf-8' && !WESTERN.has(charset) && iconv.encodingExists(charset)) {
    return iconv.decode(bytes, charset).normalize('NFC');
  }
  if (!bytes.some((byte) => byte >= 0x80)) return bytes.toString('latin1');

  // No usable label: the old mail default is UTF-8 when the bytes allow it.
  const unlabelled =
    charset === '' || charset === 'utf-8' || charset.includes('ascii') || !iconv.encodingExists(charset);
  const glyphs = iconv.decode(bytes, 'windows-1252');
  const declared =
    unlabelled && utf8
      ? bytes.toString('utf8')
      : charset === 'iso-8859-1' || charset === 'latin1'
        ? bytes.toString('latin1')
        : glyphs;
  return pickBest(declared.normalize('NFC'), legacyReadings(bytes, glyphs));
}

// Letters only Unicode Vietnamese has (not in windows-1252): their presence means the text
// was decoded right already.
const UNICODE_VIETNAMESE = /[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]/;

/**
 * Repairs a string that a windows-1252/latin1 decoder made from TCVN3, VNI-Windows,
 * windows-1258 or UTF-8 bytes ("Vieät Nam", "ViÖt Nam", "ViÃªÌ£t Nam"). Returns the text
 * unchanged unless a reading has clearly more valid Vietnamese syllables.
 */
export function repairMojibake(text: string): string {
  // eslint-disable-next-line no-control-regex -- plain ASCII has nothing to repair
  if (!/[^\u0000-\u007f]/.test(text) || UNICODE_VIETNAMESE.test(text.normalize('NFC'))) return text;
  const bytes = cp1252Bytes(text);
  const readings = bytes ? legacyReadings(bytes, iconv.decode(bytes, 'windows-1252')) : [vniToUnicode(text)];
  const best = pickBest(text, readings);
  return best === text ? text : best;
}
