import { MESSAGES } from './messages';
import { formatDateTime, pickLanguage, translate } from './translate';

describe('translate', () => {
  it('fills placeholders', () => {
    expect(translate('vi', 'error.too_long', { field: 'Tiêu đề', max: 200 })).toBe('Tiêu đề không được quá 200 ký tự.');
    expect(translate('en', 'error.too_long', { field: 'Subject', max: 200 })).toBe(
      'Subject must be at most 200 characters.',
    );
  });

  it('has every English message and every Vietnamese one in NFC', () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES.vi).sort());
    for (const text of Object.values(MESSAGES.vi)) expect(text).toBe(text.normalize('NFC'));
  });
});

describe('pickLanguage', () => {
  it('prefers an explicit choice, then Accept-Language, else Vietnamese', () => {
    expect(pickLanguage('en', 'vi')).toBe('en');
    expect(pickLanguage(undefined, 'fr;q=0.9, en-US;q=0.8')).toBe('en');
    expect(pickLanguage('de', 'fr')).toBe('vi');
    expect(pickLanguage(undefined, undefined)).toBe('vi');
  });
});

describe('formatDateTime', () => {
  it('shows Viet Nam time whatever the server zone', () => {
    expect(formatDateTime('vi', new Date('2026-11-21T17:30:00Z'))).toBe('00:30 22/11/2026');
    expect(formatDateTime('en', new Date('2026-11-21T17:30:00Z'))).toBe('22 Nov 2026, 00:30');
  });
});
