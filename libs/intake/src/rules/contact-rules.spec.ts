import { contactIssues, normalizeVietnamesePhone } from './contact-rules';

describe('contact rules', () => {
  it('accept an anonymous submission with no details', () => {
    expect(contactIssues({ anonymous: true })).toEqual({});
  });

  it('refuse details given together with the anonymous choice', () => {
    expect(contactIssues({ anonymous: true, phone: '0912345678' })).toEqual({
      anonymous: { code: 'anonymous_with_contact' },
    });
  });

  it('want an email or phone, and consent, when not anonymous', () => {
    expect(contactIssues({ anonymous: false })).toEqual({
      email: { code: 'contact_missing' },
      consent: { code: 'consent_required' },
    });
    expect(contactIssues({ anonymous: false, email: 'a@b.vn', consent: true })).toEqual({});
  });

  it('check Vietnamese phone numbers', () => {
    expect(normalizeVietnamesePhone('0912 345 678')).toBe('+84912345678');
    expect(normalizeVietnamesePhone('+84 28 3822 1234')).toBe('+842838221234');
    expect(normalizeVietnamesePhone('12345')).toBeUndefined();
    expect(normalizeVietnamesePhone('+1 202 555 0101')).toBeUndefined();
    expect(contactIssues({ anonymous: false, phone: '0123', consent: true })).toEqual({
      phone: { code: 'invalid_phone' },
    });
  });
});
