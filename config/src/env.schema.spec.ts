import { EnvironmentError } from './env.schema';
import { loadConfig } from './gopy-config';

const KEY = Buffer.alloc(32, 1).toString('base64');

describe('environment', () => {
  it('has working defaults for development', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.encryption.keys).toHaveLength(1);
  });

  it('refuses to start in production without an encryption key and form secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(EnvironmentError);
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('ENCRYPTION_KEYS');
      expect(message).toContain('FORM_TOKEN_SECRET');
    }
  });

  it('starts in production with keys, and picks the current key', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      ENCRYPTION_KEYS: `k2:${KEY},k1:${KEY}`,
      ENCRYPTION_KEY_ID: 'k2',
      FORM_TOKEN_SECRET: 'x'.repeat(40),
    });
    expect(config.encryption.currentKeyId).toBe('k2');
    expect(config.encryption.keys.map((k) => k.id)).toEqual(['k2', 'k1']);
  });

  it('lists every bad setting by name', () => {
    expect(() => loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x' })).toThrow(
      /PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*PORT/,
    );
  });
});
