import { submitterKey } from './submitter-key';

describe('submitterKey', () => {
  const secret = 'test-secret';

  it('is the same for one email however it is written', () => {
    const key = submitterKey(secret, { email: 'Lan.Nguyen@Example.vn' });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(submitterKey(secret, { email: ' lan.nguyen@example.vn ' })).toBe(key);
    expect(submitterKey(secret, { email: 'lan.nguyen@example.vn', phone: '0912345678' })).toBe(key);
  });

  it('falls back to the phone, normalised, and tells people apart', () => {
    const phone = submitterKey(secret, { phone: '0912 345 678' });
    expect(phone).toBe(submitterKey(secret, { phone: '+84912345678' }));
    expect(phone).not.toBe(submitterKey(secret, { phone: '0912345679' }));
    expect(phone).not.toBe(submitterKey(secret, { email: 'lan.nguyen@example.vn' }));
  });

  it('depends on the secret and is null without contact', () => {
    expect(submitterKey('other', { email: 'a@b.vn' })).not.toBe(submitterKey(secret, { email: 'a@b.vn' }));
    expect(submitterKey(secret, {})).toBeNull();
    expect(submitterKey(secret, { email: '', phone: '  ' })).toBeNull();
  });
});
