import { createHmac } from 'node:crypto';
import { normalizeVietnamesePhone } from './contact-rules';

/**
 * Who sent an opinion, as a keyed hash (HMAC-SHA256) of their email, or else their phone:
 * lets the digest count different people without storing or showing who. Null when anonymous.
 * The email wins over the phone so that one person writing from the form and the mailbox
 * keeps one key; each kind is tagged so an email and a phone can never share a key.
 */
export function submitterKey(secret: string, contact: { email?: string; phone?: string }): string | null {
  const email = contact.email?.normalize('NFC').trim().toLowerCase();
  if (email) return createHmac('sha256', secret).update(`email:${email}`).digest('hex');
  const phone = contact.phone?.trim();
  if (phone) {
    const normalised = normalizeVietnamesePhone(phone) ?? phone.replace(/[^\d+]/g, '');
    return createHmac('sha256', secret).update(`phone:${normalised}`).digest('hex');
  }
  return null;
}
