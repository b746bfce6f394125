import { LANGUAGES, Language, MESSAGES, MessageKey } from './messages';

export type MessageParams = Record<string, string | number>;

/** The message for `key` in `lang`, with `{placeholders}` filled. */
export function translate(lang: Language, key: MessageKey, params: MessageParams = {}): string {
  return MESSAGES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The language to answer in: an explicit choice (query or cookie) first, then the
 * Accept-Language header, else Vietnamese.
 */
export function pickLanguage(explicit: unknown, acceptLanguage: string | undefined): Language {
  if (isLanguage(explicit)) return explicit;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part) => {
        const [tag, q] = part.trim().split(';q=');
        return { lang: tag.toLowerCase().slice(0, 2), q: q === undefined ? 1 : Number(q) };
      })
      .sort((a, b) => b.q - a.q);
    const first = ranked.find((r) => isLanguage(r.lang));
    if (first) return first.lang as Language;
  }
  return 'vi';
}

const TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** A date and time as people in Viet Nam read it, whatever the server's zone. */
export function formatDateTime(lang: Language, value: Date): string {
  // vi-VN reads "06:55 22/11/2026"; en-GB "22 Nov 2026, 06:55".
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: TIME_ZONE,
    day: '2-digit',
    month: lang === 'vi' ? '2-digit' : 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(value);
}

export function formatBytes(lang: Language, bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 }).format(mb)} MB`;
}
