import type { FieldIssues } from '@gopy/errors';
import { Language, MESSAGES, MessageKey, formatBytes, translate } from '@gopy/i18n';

const FIELD_LABEL: Record<string, MessageKey> = {
  topic: 'field.topic',
  unitCode: 'field.unit',
  subject: 'field.subject',
  body: 'field.body',
  anonymous: 'field.anonymous',
  consent: 'field.consent',
  name: 'field.name',
  email: 'field.email',
  phone: 'field.phone',
  address: 'field.address',
  attachments: 'field.attachments',
  language: 'field.language',
  trackingCode: 'field.trackingCode',
};

export function fieldLabel(lang: Language, field: string, labels: Record<string, MessageKey> = {}): string {
  const name = field.split('.')[0];
  if (labels[name]) return translate(lang, labels[name]);
  // The public form's names first, then any `field.<name>` label (the desk's forms).
  const key = FIELD_LABEL[name] ?? (`field.${name}` in MESSAGES[lang] ? (`field.${name}` as MessageKey) : undefined);
  return key ? translate(lang, key) : field;
}

/** Field -> message, in the reader's language. */
export function fieldMessages(
  lang: Language,
  issues: FieldIssues,
  labels: Record<string, MessageKey> = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, found] of Object.entries(issues)) {
    const params = { ...(found.params ?? {}) };
    if (typeof params.bytes === 'number') params.size = formatBytes(lang, params.bytes);
    const key = `error.${found.code}` as MessageKey;
    const label = fieldLabel(lang, field, labels);
    // Codes are stable strings from the libs; an unknown one falls back to a generic message.
    const known = key in MESSAGES[lang] ? key : 'error.invalid_value';
    const fieldLower = label.charAt(0).toLocaleLowerCase(lang) + label.slice(1);
    out[field] = translate(lang, known, { field: label, fieldLower, ...params });
  }
  return out;
}
