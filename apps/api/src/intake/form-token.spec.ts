import { checkFormToken, issueFormToken } from './form-token';

const secret = 's'.repeat(32);
const limits = { minFillSeconds: 3, ttlSeconds: 3600 };

describe('form tokens', () => {
  const t0 = 1_800_000_000_000;

  it('accept a token after the minimum fill time', () => {
    const token = issueFormToken(secret, t0);
    const check = checkFormToken(token, secret, limits, t0 + 5000);
    expect(check).toMatchObject({ ok: true, issuedAt: t0 });
  });

  it('refuse a form sent faster than a person can type', () => {
    expect(checkFormToken(issueFormToken(secret, t0), secret, limits, t0 + 1000)).toEqual({
      ok: false,
      reason: 'too_fast',
    });
  });

  it('refuse an expired token', () => {
    expect(checkFormToken(issueFormToken(secret, t0), secret, limits, t0 + 3601_000)).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuse a forged or altered token', () => {
    const token = issueFormToken(secret, t0);
    expect(checkFormToken(token, 'x'.repeat(32), limits, t0 + 5000)).toEqual({ ok: false, reason: 'invalid' });
    const [nonce, , signature] = token.split('.');
    const older = `${nonce}.${(t0 - 100_000).toString(36)}.${signature}`;
    expect(checkFormToken(older, secret, limits, t0 + 5000)).toEqual({ ok: false, reason: 'invalid' });
    expect(checkFormToken(undefined, secret, limits)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('carry a different nonce each time', () => {
    expect(issueFormToken(secret, t0).split('.')[0]).not.toBe(issueFormToken(secret, t0).split('.')[0]);
  });
});
