import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { normalizeLine, normalizeText } from '@gopy/text';
import {
  MailParser,
  type AddressObject,
  type AttachmentStream,
  type HeaderLines,
  type Headers,
  type MailParserOptions,
  type MessageText,
} from 'mailparser';
import { bouncedMessageIds, classifyInbound, type InboundClassification } from './rules/auto-reply';
import { htmlToPlainText } from './rules/html-text';
import { decodeVietnamese, repairMojibake } from './rules/legacy-vietnamese';
import { normalizeMessageId, threadKeys, type ThreadKeys } from './rules/threading';

// One inbound message, raw bytes in, the fields the desk needs out. mailparser walks the MIME
// tree; every body charset other than UTF-8/ASCII goes through decodeVietnamese, so windows-1258
// comes out NFC and TCVN3/VNI text sent as windows-1252 comes out as Unicode Vietnamese.

export interface InboundLimits {
  maxBytes: number;
  maxFiles: number;
  attachmentMaxBytes: number;
}

export interface InboundAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  inline: boolean;
}

/** An attachment left out of `attachments`, so the sender can be told why. */
export interface SkippedAttachment {
  filename: string;
  contentType: string;
  size: number;
  reason: 'too_large' | 'too_many' | 'message_too_large';
}

export interface ParsedInbound {
  messageId: string | null; // normalised <...>
  from: { address: string; name: string } | null; // address lower-cased
  replyTo: string | null;
  subject: string; // NFC, trimmed, '' when missing
  text: string; // NFC plain text: text/plain part (legacy charsets repaired), else HTML converted
  date: Date | null;
  threading: ThreadKeys;
  classification: InboundClassification;
  bouncedMessageIds: string[];
  attachments: InboundAttachment[]; // real attachments and inline images
  skippedAttachments: SkippedAttachment[];
  contentHash: string; // sha256 hex of the raw bytes
  oversized: boolean; // raw.length > limits.maxBytes (then attachments are not decoded)
}

/** The bytes are not an Internet message at all (no header section, binary garbage). */
export class MalformedMailError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MalformedMailError';
  }
}

// Parts of delivery reports: machine data, not something a citizen attached.
const REPORT_PARTS = new Set([
  'message/delivery-status',
  'message/disposition-notification',
  'message/feedback-report',
  'text/rfc822-headers',
]);
const KNOWN_HEADERS = new Set(['from', 'sender', 'date', 'message-id', 'subject', 'received', 'return-path', 'to']);
const HEADER_SCAN_LIMIT = 256 * 1024;

/** Refuses bytes that do not start with an RFC 5322 header section. */
function assertLooksLikeMail(raw: Buffer): void {
  if (raw.length === 0) throw new MalformedMailError('empty message');
  const head = raw.subarray(0, HEADER_SCAN_LIMIT).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const lines = (end < 0 ? head : head.slice(0, end)).split(/\r?\n/);
  if (/^From /.test(lines[0])) lines.shift(); // mbox separator line
  if (lines.length === 0 || !/^[\x21-\x39\x3b-\x7e]+:/.test(lines[0])) {
    throw new MalformedMailError('message does not start with a header field');
  }
  // eslint-disable-next-line no-control-regex -- control bytes in headers mean binary data
  if (lines.some((line) => /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(line))) {
    throw new MalformedMailError('binary data in the header section');
  }
  const names = lines.map((line) => /^([\x21-\x39\x3b-\x7e]+):/.exec(line)?.[1].toLowerCase());
  if (!names.some((name) => name !== undefined && KNOWN_HEADERS.has(name))) {
    throw new MalformedMailError('no message header (From, Date, Subject, ...) found');
  }
}

/**
 * Stands in for node-iconv in mailparser's `Iconv` option (`new Iconv(from, to)`, a stream):
 * buffers a part's bytes and emits them as UTF-8 decoded by decodeVietnamese.
 */
class VietnameseDecoder extends Transform {
  private readonly chunks: Buffer[] = [];

  constructor(private readonly charset: string) {
    super();
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'latin1'));
    done();
  }

  override _flush(done: TransformCallback): void {
    this.push(Buffer.from(decodeVietnamese(Buffer.concat(this.chunks), this.charset), 'utf8'));
    done();
  }
}

/** Header values by lower-case name, unfolded, in order; repeated headers become arrays. */
function headerMap(lines: HeaderLines): Map<string, string | string[]> {
  const map = new Map<string, string | string[]>();
  for (const { key, line } of lines) {
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    const name = key.toLowerCase();
    const previous = map.get(name);
    map.set(name, previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value]);
  }
  return map;
}

function first(map: Map<string, string | string[]>, name: string): string | undefined {
  const value = map.get(name);
  return Array.isArray(value) ? value[0] : value;
}

function firstAddress(value: unknown): { address: string; name: string } | null {
  const list = (Array.isArray(value) ? value : [value]) as (AddressObject | undefined)[];
  for (const object of list) {
    for (const entry of object?.value ?? []) {
      const mailbox = entry.address ? entry : entry.group?.find((member) => member.address);
      if (mailbox?.address) {
        return {
          address: mailbox.address.trim().toLowerCase(),
          name: normalizeLine(repairMojibake(mailbox.name ?? '')),
        };
      }
    }
  }
  return null;
}

const EXTENSIONS: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'application/pdf': '.pdf',
};

interface RawParse {
  headers: Headers;
  headerLines: HeaderLines;
  text?: MessageText;
  attachments: InboundAttachment[];
  skipped: SkippedAttachment[];
}

async function runParser(raw: Buffer, limits: InboundLimits, oversized: boolean): Promise<RawParse> {
  const options: MailParserOptions = {
    Iconv: VietnameseDecoder as unknown as MailParserOptions['Iconv'],
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
    checksumAlgo: 'sha256',
  };
  const parser = new MailParser(options);
  const result: RawParse = { headers: new Map(), headerLines: [], attachments: [], skipped: [] };
  const pending: Promise<void>[] = [];
  let files = 0;
  // In a delivery report the returned message is evidence for the bounce, not an attachment.
  let isReport = false;

  const collect = (attachment: AttachmentStream): Promise<void> => {
    const contentType = (attachment.contentType || 'application/octet-stream').toLowerCase();
    const report = REPORT_PARTS.has(contentType) || (isReport && contentType === 'message/rfc822');
    const index = report ? -1 : files++;
    const filename =
      (attachment.filename ?? '').normalize('NFC').trim() || `tep-dinh-kem${EXTENSIONS[contentType] ?? ''}`;
    const inline = attachment.related === true || attachment.contentDisposition === 'inline';
    const chunks: Buffer[] = [];
    let size = 0;
    return new Promise<void>((resolve, reject) => {
      const stream = attachment.content as Readable;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (!oversized && !report && index < limits.maxFiles && size <= limits.attachmentMaxBytes) chunks.push(chunk);
      });
      stream.on('error', reject);
      stream.on('end', () => {
        attachment.release();
        if (report) return resolve();
        const reason: SkippedAttachment['reason'] | undefined = oversized
          ? 'message_too_large'
          : index >= limits.maxFiles
            ? 'too_many'
            : size > limits.attachmentMaxBytes
              ? 'too_large'
              : undefined;
        if (reason) result.skipped.push({ filename, contentType, size, reason });
        else result.attachments.push({ filename, contentType, content: Buffer.concat(chunks, size), inline });
        resolve();
      });
    });
  };

  return new Promise<RawParse>((resolve, reject) => {
    const fail = (error: unknown): void =>
      reject(
        error instanceof MalformedMailError
          ? error
          : new MalformedMailError(`cannot parse message: ${error instanceof Error ? error.message : String(error)}`, {
              cause: error,
            }),
      );
    parser.on('headers', (headers: Headers) => {
      result.headers = headers;
      const type = headers.get('content-type');
      isReport = typeof type === 'object' && 'value' in type && type.value === 'multipart/report';
    });
    parser.on('headerLines', (lines: HeaderLines) => (result.headerLines = lines));
    parser.on('data', (data: AttachmentStream | MessageText) => {
      if (data.type === 'text') result.text = data;
      else pending.push(collect(data));
    });
    parser.on('error', fail);
    parser.on('end', () => {
      Promise.all(pending).then(() => resolve(result), fail);
    });
    parser.end(raw);
  });
}

/** Parses one raw inbound message. Throws MalformedMailError when it is not a message. */
export async function parseInbound(raw: Buffer, limits: InboundLimits): Promise<ParsedInbound> {
  assertLooksLikeMail(raw);
  const oversized = raw.length > limits.maxBytes;
  const parsed = await runParser(raw, limits, oversized);
  const headers = headerMap(parsed.headerLines);

  const rawSubject = parsed.headers.get('subject');
  const subject = normalizeLine(repairMojibake(typeof rawSubject === 'string' ? rawSubject : ''));
  const plain = normalizeText(parsed.text?.text ?? '').trim();
  const html = typeof parsed.text?.html === 'string' ? parsed.text.html : '';
  const text = plain || (html ? htmlToPlainText(html) : '');

  const dateValue = first(headers, 'date');
  const date = dateValue ? new Date(dateValue) : null;
  const references = headers.get('references');
  const classification = classifyInbound(
    headers,
    first(headers, 'content-type') ?? 'text/plain',
    first(headers, 'return-path'),
  );
  const replyTo = firstAddress(parsed.headers.get('reply-to'));

  return {
    messageId: normalizeMessageId(first(headers, 'message-id')),
    from: firstAddress(parsed.headers.get('from')),
    replyTo: replyTo?.address ?? null,
    subject,
    text,
    date: date && !Number.isNaN(date.getTime()) ? date : null,
    threading: threadKeys({ inReplyTo: first(headers, 'in-reply-to'), references, subject }),
    classification,
    bouncedMessageIds: classification.kind === 'bounce' ? bouncedMessageIds(raw.toString('latin1')) : [],
    attachments: parsed.attachments,
    skippedAttachments: parsed.skipped,
    contentHash: createHash('sha256').update(raw).digest('hex'),
    oversized,
  };
}
