import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { FieldIssues } from '@gopy/errors';

export interface ContactChoice {
  anonymous: boolean;
  consent?: boolean;
  name?: string;
  email?: string;
  phone?: string;
  address?: string;
  // A letter: a postal address is a way to answer too.
  postal?: boolean;
}

/** A Vietnamese phone number in E.164 (`+84912345678`), or undefined if it is not valid. */
export function normalizeVietnamesePhone(input: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input, 'VN');
  if (!parsed || !parsed.isValid() || parsed.country !== 'VN') return undefined;
  return parsed.number;
}

/**
 * The rules of the anonymous choice: anonymous means no contact details at all; leaving
 * contact details needs an email or a phone (or, for a letter, a postal address) and consent.
 */
export function contactIssues(choice: ContactChoice): FieldIssues {
  const issues: FieldIssues = {};
  const given = [choice.name, choice.email, choice.phone, choice.address].some((v) => v !== undefined && v !== '');
  if (choice.anonymous) {
    if (given) issues.anonymous = { code: 'anonymous_with_contact' };
    return issues;
  }
  if (choice.postal) {
    if (!choice.email && !choice.phone && !choice.address) issues.address = { code: 'required' };
  } else if (!choice.email && !choice.phone) issues.email = { code: 'contact_missing' };
  if (choice.phone && !normalizeVietnamesePhone(choice.phone)) issues.phone = { code: 'invalid_phone' };
  if (!choice.consent) issues.consent = { code: 'consent_required' };
  return issues;
}
