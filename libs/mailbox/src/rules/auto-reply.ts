// Which inbound mail a person wrote, and which a machine sent (RFC 3834, RFC 3464, RFC 2369).
// Only personal mail gets an automatic receipt: answering a robot starts mail loops.

export type InboundKind = 'personal' | 'auto_reply' | 'bulk' | 'bounce';

export interface InboundClassification {
  kind: InboundKind;
  suppressReceipt: boolean;
  reason: string;
}

type HeaderSource = Map<string, string | string[]> | Record<string, string>;

const SUPPRESS_VALUES = new Set(['all', 'autoreply', 'oof', 'dr', 'rn', 'nrn']);
const DAEMON_SENDERS = /^(?:mailer-daemon|mailer_daemon|mail-daemon|mailerdaemon|postmaster)$/i;

/** Header values by lower-case name; every occurrence, unfolded and trimmed. */
function headerReader(headers: HeaderSource): (name: string) => string[] {
  const byName = new Map<string, string[]>();
  const entries: [string, string | string[]][] =
    headers instanceof Map ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    const values = (Array.isArray(value) ? value : [value]).map((v) =>
      String(v)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim(),
    );
    byName.set(key, [...(byName.get(key) ?? []), ...values]);
  }
  return (name) => byName.get(name) ?? [];
}

function result(kind: InboundKind, reason: string): InboundClassification {
  return { kind, suppressReceipt: kind !== 'personal', reason };
}

/** The address inside a From/Return-Path value: `"A" <x@y>` -> `x@y`. */
function addressOf(value: string): string {
  const angle = /<([^<>]*)>/.exec(value);
  return (angle ? angle[1] : value).trim().toLowerCase();
}

/**
 * Classifies an inbound message from its headers, its top-level Content-Type and its
 * Return-Path (undefined when absent). Bounces first, then auto-replies, then bulk/list mail.
 */
export function classifyInbound(
  headers: HeaderSource,
  contentType: string,
  returnPath: string | undefined,
): InboundClassification {
  const header = headerReader(headers);
  const type = contentType.toLowerCase();

  if (/^\s*multipart\/report\b/.test(type)) {
    const reportType = /report-type\s*=\s*"?([\w-]+)/.exec(type)?.[1];
    if (reportType === 'disposition-notification') return result('auto_reply', 'read receipt (MDN)');
    return result('bounce', `multipart/report${reportType ? `; report-type=${reportType}` : ''}`);
  }
  if (returnPath !== undefined && addressOf(returnPath) === '') return result('bounce', 'empty Return-Path');
  const from = header('from')[0];
  if (from !== undefined) {
    const local = addressOf(from).split('@')[0];
    if (DAEMON_SENDERS.test(local)) return result('bounce', `sender ${local}`);
  }

  const autoSubmitted = header('auto-submitted').find((v) => v.split(';')[0].trim().toLowerCase() !== 'no');
  if (autoSubmitted !== undefined) return result('auto_reply', `Auto-Submitted: ${autoSubmitted}`);
  const suppress = header('x-auto-response-suppress').find((v) =>
    v.split(/[\s,;]+/).some((token) => SUPPRESS_VALUES.has(token.toLowerCase())),
  );
  if (suppress !== undefined) return result('auto_reply', `X-Auto-Response-Suppress: ${suppress}`);
  for (const name of ['x-autoreply', 'x-autorespond']) {
    if (header(name).length > 0) return result('auto_reply', `${name} present`);
  }
  const precedence = header('precedence').map((v) => v.toLowerCase());
  if (precedence.includes('auto_reply')) return result('auto_reply', 'Precedence: auto_reply');

  const bulk = precedence.find((v) => v === 'bulk' || v === 'list' || v === 'junk');
  if (bulk !== undefined) return result('bulk', `Precedence: ${bulk}`);
  for (const name of ['list-id', 'list-unsubscribe']) {
    if (header(name).length > 0) return result('bulk', `${name} present`);
  }
  return result('personal', 'no automatic-mail markers');
}

// ---------------------------------------------------------------------------------------
// Delivery status notifications

const MESSAGE_ID = /<[^<>\s]+@[^<>\s]+>/g;

/** Unfolded header block at the start of `text` (up to the first empty line). */
function headerBlock(text: string): string {
  const end = text.search(/\r?\n\r?\n/);
  return (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
}

function messageIdsInHeaders(block: string): string[] {
  const ids: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    const match = /^message-id\s*:(.*)$/i.exec(line);
    if (match) ids.push(...(match[1].match(MESSAGE_ID) ?? []));
  }
  return ids;
}

/**
 * The Message-ID(s) of the messages a DSN reports on, read from its message/rfc822 or
 * text/rfc822-headers part; failing that, from Message-ID lines quoted in the body.
 */
export function bouncedMessageIds(rawText: string): string[] {
  const split = rawText.search(/\r?\n\r?\n/);
  if (split < 0) return [];
  const own = new Set(messageIdsInHeaders(headerBlock(rawText)));
  const body = rawText.slice(split);
  const found: string[] = [];
  const part = /^content-type\s*:\s*(?:message\/(?:rfc822|global|global-headers)|text\/rfc822-headers)\b/gim;
  for (let match = part.exec(body); match; match = part.exec(body)) {
    // Skip the part's own MIME headers; the embedded message's headers follow them.
    const rest = body.slice(match.index);
    const blank = rest.search(/\r?\n\r?\n/);
    if (blank >= 0) found.push(...messageIdsInHeaders(headerBlock(rest.slice(blank).replace(/^\s+/, ''))));
  }
  if (found.length === 0) found.push(...messageIdsInHeaders(body.replace(/\r?\n[ \t]+/g, ' ')));
  return [...new Set(found)].filter((id) => !own.has(id));
}

/**
 * Classifies a message from its raw header block alone (a message too large to download
 * whole is judged by its headers before it is answered).
 */
export function classifyHeaderBlock(block: string): InboundClassification {
  const headers = new Map<string, string[]>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  const first = (name: string) => headers.get(name)?.[0];
  return classifyInbound(headers, first('content-type') ?? 'text/plain', first('return-path'));
}
