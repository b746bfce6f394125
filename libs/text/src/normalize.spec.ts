import { foldDiacritics, hasReplacementChar, isValidUtf8, normalizeLine, normalizeText } from './normalize';

describe('normalizeText', () => {
  it('turns NFD input into NFC', () => {
    const nfd = 'Đường sá xuống cấp'.normalize('NFD');
    expect(nfd).not.toBe('Đường sá xuống cấp');
    expect(normalizeText(nfd)).toBe('Đường sá xuống cấp');
  });

  it('unifies newlines and strips control characters but keeps tabs', () => {
    expect(normalizeText('a\r\nb\rc\u0000d\te')).toBe('a\nb\ncd\te');
  });

  it('keeps HTML and SQL-looking text verbatim', () => {
    const text = `<script>alert('x')</script>'; DROP TABLE cases; --`;
    expect(normalizeText(text)).toBe(text);
  });
});

describe('normalizeLine', () => {
  it('collapses inner whitespace and trims', () => {
    expect(normalizeLine('  Góp   ý\n về  điện  ')).toBe('Góp ý về điện');
  });
});

describe('isValidUtf8', () => {
  it('accepts Vietnamese UTF-8', () => {
    expect(isValidUtf8(Buffer.from('Hòm thư góp ý', 'utf8'))).toBe(true);
  });

  it('refuses truncated and overlong sequences', () => {
    expect(isValidUtf8(Buffer.from([0x48, 0xc3]))).toBe(false);
    expect(isValidUtf8(Buffer.from([0xc0, 0xaf]))).toBe(false);
  });

  it('spots the replacement character a lenient decoder leaves', () => {
    expect(hasReplacementChar(Buffer.from([0x61, 0xff]).toString('utf8'))).toBe(true);
    expect(hasReplacementChar('bình thường')).toBe(false);
  });
});

describe('foldDiacritics', () => {
  it('folds every Vietnamese vowel and đ', () => {
    expect(foldDiacritics('Đường sá ỹ ơ ư Ậ')).toBe('Duong sa y o u A');
  });

  it('folds NFD input the same way', () => {
    expect(foldDiacritics('xuống cấp'.normalize('NFD'))).toBe('xuong cap');
  });
});
