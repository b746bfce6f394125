import { randomBytes } from 'node:crypto';
import { open, seal } from './cipher';

describe('seal / open', () => {
  const key = randomBytes(32);

  it('round-trips Vietnamese personal data', () => {
    const plain = Buffer.from('Nguyễn Thị Hồng, 0912 345 678', 'utf8');
    const sealed = seal(key, plain, 'submission.contact');
    expect(sealed.includes(plain)).toBe(false);
    expect(open(key, sealed, 'submission.contact').toString('utf8')).toBe(plain.toString('utf8'));
  });

  it('uses a fresh IV each time', () => {
    const plain = Buffer.from('same');
    expect(seal(key, plain, 'c').equals(seal(key, plain, 'c'))).toBe(false);
  });

  it('refuses a tampered value, a wrong key or another context', () => {
    const sealed = seal(key, Buffer.from('secret'), 'a');
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => open(key, tampered, 'a')).toThrow();
    expect(() => open(randomBytes(32), sealed, 'a')).toThrow();
    expect(() => open(key, sealed, 'b')).toThrow();
    expect(() => open(key, Buffer.from('short'), 'a')).toThrow('Not a sealed value');
  });
});
