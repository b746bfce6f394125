import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type FormTokenCheck =
  { ok: true; nonce: string; issuedAt: number } | { ok: false; reason: 'invalid' | 'expired' | 'too_fast' };

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/** A signed one-time token: a random nonce and the time the form was served. */
export function issueFormToken(secret: string, now = Date.now()): string {
  const payload = `${randomBytes(16).toString('base64url')}.${now.toString(36)}`;
  return `${payload}.${sign(secret, payload)}`;
}

/**
 * Checks the signature, the age (not older than the TTL) and the fill time (a person
 * takes more than a few seconds; a robot posting at once does not).
 */
export function checkFormToken(
  token: unknown,
  secret: string,
  limits: { minFillSeconds: number; ttlSeconds: number },
  now = Date.now(),
): FormTokenCheck {
  if (typeof token !== 'string') return { ok: false, reason: 'invalid' };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'invalid' };
  const [nonce, issued, signature] = parts;
  const expected = Buffer.from(sign(secret, `${nonce}.${issued}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
  const issuedAt = parseInt(issued, 36);
  if (!Number.isFinite(issuedAt) || now - issuedAt > limits.ttlSeconds * 1000) return { ok: false, reason: 'expired' };
  if (now - issuedAt < limits.minFillSeconds * 1000) return { ok: false, reason: 'too_fast' };
  return { ok: true, nonce, issuedAt };
}
