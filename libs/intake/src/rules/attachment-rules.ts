import type { FieldIssues } from '@gopy/errors';

/** Types accepted, decided from the bytes (magic numbers), never from the name. */
export const ALLOWED_ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;

export interface IncomingFile {
  filename: string;
  bytes: Buffer;
  // What the content sniffer found; undefined when it recognised nothing.
  sniffedType?: string;
}

export interface AttachmentLimits {
  maxBytes: number;
  maxFiles: number;
}

/** Checks count, size and sniffed type; reports every problem under `attachments`. */
export function attachmentIssues(files: IncomingFile[], limits: AttachmentLimits): FieldIssues {
  if (files.length > limits.maxFiles)
    return { attachments: { code: 'too_many_files', params: { max: limits.maxFiles } } };
  for (const file of files) {
    if (file.bytes.length === 0) return { attachments: { code: 'attachment_empty', params: { name: file.filename } } };
    if (file.bytes.length > limits.maxBytes) {
      return { attachments: { code: 'attachment_too_large', params: { name: file.filename, bytes: limits.maxBytes } } };
    }
    if (!(ALLOWED_ATTACHMENT_TYPES as readonly string[]).includes(file.sniffedType ?? '')) {
      return { attachments: { code: 'attachment_type', params: { name: file.filename } } };
    }
  }
  return {};
}

/** A file name safe to keep and show: no path, no control characters, bounded length. */
export function safeFilename(name: string, max: number): string {
  const base = name.normalize('NFC').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (cleaned || 'tep-dinh-kem').slice(0, max);
}
