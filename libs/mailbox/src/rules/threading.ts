import { TRACKING_ALPHABET, parseTrackingCode } from '@gopy/cases';

// Which case a reply belongs to: the Message-IDs it answers (our receipts and responses carry
// known ids), else a tracking code the sender left in the subject.

export interface ThreadKeys {
  messageIds: string[];
  trackingCode?: string;
}

/**
 * Message-IDs in a header value, each as `<id>`, in order of appearance, without duplicates.
 * Bare ids (`id@host`, as some clients write them) are wrapped.
 */
export function normalizeMessageIds(value: string | string[] | undefined | null): string[] {
  const text = (Array.isArray(value) ? value.join(' ') : (value ?? '')).replace(/\r?\n[ \t]+/g, ' ');
  const bracketed = text.match(/<[^<>\s]+>/g);
  const ids = bracketed ?? text.split(/[\s,]+/).filter((token) => /^[^<>\s@]+@[^<>\s@]+$/.test(token));
  return [...new Set(ids.map((id) => (id.startsWith('<') ? id : `<${id}>`)))];
}

/** A Message-ID value normalised to `<id>`; null when there is none. */
export function normalizeMessageId(value: string | undefined | null): string | null {
  return normalizeMessageIds(value)[0] ?? null;
}

const SYMBOL = `[${TRACKING_ALPHABET}]`;
const GROUPED = new RegExp(`(?<![0-9A-Z])(${SYMBOL}{5})-(${SYMBOL}{5})-(${SYMBOL}{5})(?![0-9A-Z])`, 'gi');
const BRACKETED = new RegExp(`\\[\\s*(${SYMBOL}{15})\\s*\\]`, 'gi');

/** The first valid tracking code in a subject (`ABCDE-FGHJK-MNPQR` or `[ABCDEFGHJKMNPQR]`). */
export function trackingCodeInSubject(subject: string | undefined): string | undefined {
  if (!subject) return undefined;
  const candidates: { index: number; code: string }[] = [];
  for (const match of subject.matchAll(GROUPED)) candidates.push({ index: match.index, code: match.slice(1).join('') });
  for (const match of subject.matchAll(BRACKETED)) candidates.push({ index: match.index, code: match[1] });
  candidates.sort((a, b) => a.index - b.index);
  for (const { code } of candidates) {
    const parsed = parseTrackingCode(code);
    if (parsed.ok) return parsed.code;
  }
  return undefined;
}

/**
 * Threading keys of an inbound message: the ids it replies to, newest first (In-Reply-To,
 * then References from last to first), and a checksum-valid tracking code from the subject.
 */
export function threadKeys(input: {
  inReplyTo?: string;
  references?: string | string[];
  subject?: string;
}): ThreadKeys {
  const messageIds = [
    ...new Set([...normalizeMessageIds(input.inReplyTo), ...normalizeMessageIds(input.references).reverse()]),
  ];
  const trackingCode = trackingCodeInSubject(input.subject);
  return trackingCode ? { messageIds, trackingCode } : { messageIds };
}
