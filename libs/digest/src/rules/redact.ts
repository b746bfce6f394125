import { foldDiacritics } from '@gopy/text';

// Personal data out of opinion excerpts shown in a digest: e-mail addresses, Vietnamese phone
// numbers, identity card numbers, house addresses and names introduced by the usual cues.
//
// Patterns run on a folded copy of the text (diacritics and đ folded, one character for one
// character, case kept), so "so nha 12 ngo 5" and "số nhà 12 ngõ 5" are caught alike; the
// matched ranges are then replaced in the original text. Street names alone ("đường Tô Hiệu",
// "ngõ 68") are where an issue is, not who sent it, and are kept; a house number makes an
// address personal. This is a best-effort filter for display, not anonymisation.

export const PLACEHOLDERS = {
  email: '[email]',
  phone: '[số điện thoại]',
  idNumber: '[số giấy tờ]',
  address: '[địa chỉ]',
  name: '[tên]',
} as const;

/** Case-insensitive source for a lower-case ASCII keyword, leaving the rest of a pattern case-sensitive. */
function ci(words: string): string {
  return words.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`).replace(/ /g, '\\s+');
}
const any = (...words: string[]) => `(?:${words.map(ci).join('|')})`;

const B = '(?<![\\p{L}\\p{N}])'; // word start
const E = '(?![\\p{L}\\p{N}])'; // word end
const NUM = '\\d+[a-zA-Z]?(?:/\\d+[a-zA-Z]?)*';
const CAP = '[A-Z][a-z]*';
const CAPWORDS = `${CAP}(?: ${CAP}){0,4}`;
const NAME = `${CAP}(?: ${CAP}){0,3}`;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[a-zA-Z]{2,}/gu;
// 0xxx or +84 / 84 / (+84), then 8-10 more digits with single spaces, dots, dashes or a
// bracketed area code between them.
const PHONE = new RegExp(
  `${B}(?:\\(\\+?84\\)|\\+84|84(?=[ .-]?[1-9])|\\(0\\d{1,3}\\)|0)(?:[ .-]{0,3}\\d){8,10}(?!\\d)`,
  'gu',
);
const ID_NUMBER = new RegExp(
  `(?<=${B}${any('cccd', 'cmnd', 'cmtnd', 'can cuoc cong dan', 'can cuoc', 'chung minh nhan dan', 'ho chieu')}` +
    `(?:\\s+${ci('so')})?\\s*:?\\s*)[A-Z]?\\d{8,12}(?!\\d)`,
  'gu',
);
const LANE = `${any('ngo', 'ngach', 'hem', 'kiet')}\\s+${NUM}${E}(?: ${CAPWORDS})?`;
const STREET = `${any('duong', 'pho')}\\s+(?:${NUM}\\s+)?${CAPWORDS}`;
const SMALL_AREA = `${any('to dan pho', 'to', 'thon', 'xom', 'ap', 'khu pho')}\\s+${NUM}${E}`;
const TAIL = `(?:[ ,]+(?:${LANE}|${STREET}|${SMALL_AREA}))*`;
const ADDRESS = new RegExp(
  [
    // số nhà 12 / nhà số 12 (and whatever lane or street follows)
    `${B}${any('so nha', 'nha so')}\\s*${NUM}${E}${TAIL}`,
    // số 27 ngõ 4 đường Tô Hiệu / 12/3 hẻm 45 / 45 phố Huế
    `${B}(?<!${any('thang', 'ngay', 'nam', 'lan', 'tuan', 'gio', 'tuyen', 'ca')}\\s+)(?:${ci('so')}\\s*)?${NUM}${E}[ ,]+(?:${LANE}|${STREET})${TAIL}`,
    // ở 112 Lê Lợi / tại số 5 Trần Phú
    `(?<=${B}${any('o', 'tai', 'nha', 'nha o')}\\s+)(?:${ci('so')}\\s*)?${NUM} ${CAPWORDS}${TAIL}`,
    // Địa chỉ: the rest of the line or sentence
    `(?<=${B}${ci('dia chi')}(?:\\s+${any('lien he', 'nha', 'thuong tru', 'tam tru')})?\\s*:\\s*)[^\\s;][^\\n;]*?(?=\\.\\s|\\.?$|[;\\n])`,
  ].join('|'),
  'gmu',
);

// Words that may follow a title or cue but are not names.
const NOT_NAMES = new Set(
  'chi anh ong ba em co chu bac cu toi ban ubnd hdnd mttq dang nha so phong to truong ho'.split(' '),
);
// A title before a capitalised word is not a person when a place word comes just before it.
const PLACE_WORDS = new Set(
  (
    'duong pho ngo ngach hem kiet cho cau kenh song ho den chua dinh truong thcs thpt hoc vien ' +
    'phuong xa quan huyen tinh tp pho thi tran khu cong ben nga hai nam ba'
  ).split(' '),
);
const TITLES = new Set(['ông', 'bà', 'anh', 'chị', 'cụ', 'cô', 'chú', 'bác', 'ong', 'chi', 'chu', 'bac']);
// Common family names (folded, capitalised): a capitalised run starting with one is a full name.
const FAMILY = `(?:${(
  'nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly luong ta dinh trinh doan lam mai ' +
  'cao ha truong tong quach kieu thai luu vuong hua ton lai giang tang khuc kim'
)
  .split(' ')
  .map((f) => f[0].toUpperCase() + f.slice(1))
  .join('|')})`;

const NAME_CUES: { pattern: RegExp; check?: (text: string, folded: string, start: number) => boolean }[] = [
  // tôi là / mình là / tôi tên / tên tôi là / tên cháu là ... + a capitalised name
  {
    pattern: new RegExp(
      `(?<=${B}(?:${any('toi', 'minh', 'em', 'chau', 'con')}\\s+(?:${any('la', 'ten la', 'ten')})|` +
        `${ci('ten')}\\s+(?:${any('toi', 'minh', 'em', 'chau', 'cua toi')}\\s+)?${ci('la')})\\s+)${NAME}${E}`,
      'gu',
    ),
  },
  // Họ và tên: / Người gửi: + anything up to punctuation (people type names in lower case)
  {
    pattern: new RegExp(
      `(?<=${B}${any('ho va ten', 'ho ten', 'nguoi gui', 'ten')}\\s*:\\s*)\\p{L}+(?: \\p{L}+){0,4}`,
      'gu',
    ),
  },
  // ông/bà/anh/chị/cụ/cô/chú/bác + Capitalised Words
  {
    pattern: new RegExp(`(?<=${B}${any('ong', 'ba', 'anh', 'chi', 'cu', 'co', 'chu', 'bac')} )${NAME}${E}`, 'gu'),
    check: (text, folded, start) => {
      const before = text.slice(0, start).match(/(\p{L}+)\s+$/u);
      const title = before?.[1].toLowerCase() ?? '';
      if (!TITLES.has(title)) return false;
      const previous = folded
        .slice(0, start - before![0].length)
        .match(/(\S+)\s*$/u)?.[1]
        .replace(/[^\p{L}\p{N}]/gu, '');
      if (!previous) return true;
      return !PLACE_WORDS.has(previous.toLowerCase()) && !/^[A-Z]/.test(previous);
    },
  },
  // a full name with a family name: Nguyễn Văn An (three or four syllables)
  {
    pattern: new RegExp(`${B}${FAMILY}(?: ${CAP}){2,3}${E}`, 'gu'),
    check: (text, folded, start) => {
      // "Đường Tô Hiệu" folds like "Dương Tô Hiệu": a street, not a Dương.
      if (/^(?:đường|phố|chợ|cầu|trường|sông)\s/iu.test(text.slice(start, start + 8))) return false;
      const words = folded.slice(Math.max(0, start - 40), start).split(/[^\p{L}\p{N}]+/u);
      const lastThree = words.filter((w) => w).slice(-3);
      return !lastThree.some((w) => PLACE_WORDS.has(w.toLowerCase()));
    },
  },
  // a signature: the last line is only a name, or a name after "Trân trọng"
  {
    pattern: new RegExp(
      `(?:(?<=\\n\\s*(?:-+\\s*)?)${CAP}(?: ${CAP}){1,4}\\s*$|(?<=${any('tran trong', 'kinh thu', 'than ai')}[,.!]?\\s+)${NAME}\\s*$)`,
      'gu',
    ),
  },
];

/** Folds a text one character for one character, so indexes in the copy are indexes in the text. */
function foldAligned(text: string): string {
  let out = '';
  for (const ch of text) {
    const folded = foldDiacritics(ch);
    out += folded.length === ch.length ? folded : ch;
  }
  return out;
}

interface Span {
  start: number;
  end: number;
  placeholder: string;
}

/**
 * The text with personal data replaced by placeholders: "[email]", "[số điện thoại]",
 * "[số giấy tờ]", "[địa chỉ]", "[tên]". The text is normalised to NFC first.
 */
/** The cue-based pass alone: readable, but a name without a cue ('tôi là', a title, a signature) can remain. */
export function redactByCues(input: string): string {
  const text = input.normalize('NFC');
  const folded = foldAligned(text);
  const spans: Span[] = [];
  const claim = (start: number, end: number, placeholder: string) => {
    if (end <= start) return;
    if (spans.some((s) => start < s.end && s.start < end)) return;
    spans.push({ start, end, placeholder });
  };
  const each = (pattern: RegExp, placeholder: string, check?: (start: number, value: string) => boolean) => {
    for (const m of folded.matchAll(pattern)) {
      const value = m[0].replace(/\s+$/u, '');
      if (check && !check(m.index, value)) continue;
      claim(m.index, m.index + value.length, placeholder);
    }
  };
  each(EMAIL, PLACEHOLDERS.email);
  each(ID_NUMBER, PLACEHOLDERS.idNumber);
  each(PHONE, PLACEHOLDERS.phone);
  each(ADDRESS, PLACEHOLDERS.address);
  for (const cue of NAME_CUES)
    each(cue.pattern, PLACEHOLDERS.name, (start, value) => {
      if (NOT_NAMES.has(value.split(/\s+/)[0].toLowerCase())) return false;
      return cue.check ? cue.check(text, folded, start) : true;
    });

  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + s.placeholder;
    at = s.end;
  }
  return out + text.slice(at);
}

// Words after which capitalised words are a place or an institution, not a person.
const PLACE_BEFORE_NAME = new Set(
  [
    'đường',
    'phố',
    'phường',
    'xã',
    'quận',
    'huyện',
    'tỉnh',
    'thành',
    'ngõ',
    'ngách',
    'hẻm',
    'kiệt',
    'chợ',
    'trường',
    'viện',
    'cầu',
    'sông',
    'kênh',
    'khu',
    'chùa',
    'đình',
    'đền',
    'viên',
    'thôn',
    'ấp',
    'bản',
    'làng',
    'tổ',
    'bến',
    'hồ',
    'núi',
    'đảo',
    'cảng',
    'ga',
    'sân',
    'nhà',
    'ủy',
    'ban',
    'sở',
    'bộ',
    'đảng',
    'tuyến',
    'lộ',
    'quốc',
    'tỉnh',
    'đại',
    'lộ',
    'khóm',
    'phum',
    'miếu',
    'nhà thờ',
    'bệnh',
  ].map((w) => w.normalize('NFC')),
);
const CAPITALISED_RUN = /\p{Lu}[\p{Ll}\p{M}]*(?:[ \t]+\p{Lu}[\p{Ll}\p{M}]*)+/gu;

/**
 * What gopy shows of an opinion in a digest must not name or locate its writer. After the
 * cue-based pass, a stricter one: a run of two or more capitalised words is taken for a
 * person's name unless it follows (or starts with) a place word such as đường, phường or
 * chợ, or an acronym such as THCS; a house number with its lane or street is an address.
 * It errs towards removing too much.
 */
export function redactPersonalData(input: string): string {
  const cued = redactByCues(input).replace(
    /(?<![\p{L}\d])số\s*\d+[\w/]*,?\s+(?:ngõ|ngách|hẻm|kiệt|đường|phố)\s+[^\s,.;]+(?:\s+[\p{Lu}\d][^\s,.;]*)*/giu,
    PLACEHOLDERS.address,
  );
  return cued.replace(CAPITALISED_RUN, (run: string, offset: number) => {
    const before = cued.slice(0, offset);
    const previous = /(\S+)\s*$/u.exec(before)?.[1] ?? '';
    const words = run.split(/[ \t]+/);
    const first = words[0].toLocaleLowerCase('vi');
    if (PLACE_BEFORE_NAME.has(first)) return run;
    if (/^\p{Lu}{2,}$/u.test(previous)) return run;
    if (PLACE_BEFORE_NAME.has(previous.toLocaleLowerCase('vi').replace(/[^\p{L}]/gu, ''))) return run;
    const sentenceStart = before.trim() === '' || /[.!?:]["”)]?\s*$/u.test(before);
    if (sentenceStart) {
      if (words.length < 3) return run;
      return `${words[0]} ${PLACEHOLDERS.name}`;
    }
    return PLACEHOLDERS.name;
  });
}

/**
 * A short excerpt for a digest: whitespace collapsed, cut at a word boundary (never inside a
 * "[...]" placeholder) to at most `max` characters including the closing "…".
 * Redact first: `excerpt(redactPersonalData(text))`.
 */
export function excerpt(text: string, max = 240): string {
  const flat = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  let cut = flat.lastIndexOf(' ', max - 1);
  if (cut <= 0) cut = max - 1;
  const open = flat.lastIndexOf('[', cut);
  if (open > flat.lastIndexOf(']', cut)) cut = open;
  return `${flat
    .slice(0, cut)
    .replace(/[\s,;:.\-–]+$/u, '')
    .trimEnd()}…`;
}
