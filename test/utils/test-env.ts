import { randomBytes } from 'node:crypto';
import { GopyConfig, loadConfig } from '@gopy/config';

import { TEST_DATABASE_URL, TEST_REDIS_URL } from './test-urls';

export { TEST_DATABASE_URL, TEST_REDIS_URL };

/**
 * A configuration for one test suite: the test database, its own queue prefix (so suites
 * never see each other's jobs), no fill-time delay, generous rate limits unless overridden.
 */
export function testConfig(overrides: Record<string, string> = {}): GopyConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    SLA_SWEEP_SECONDS: '0',
    DIGEST_CRON: 'off',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `{gopy-test-${randomBytes(4).toString('hex')}}`,
    ENCRYPTION_KEYS: `test:${randomBytes(32).toString('base64')}`,
    FORM_TOKEN_SECRET: randomBytes(32).toString('hex'),
    FORM_MIN_FILL_SECONDS: '0',
    RATE_LIMIT_SUBMIT_PER_HOUR: '10000',
    RATE_LIMIT_TRACK_PER_MINUTE: '10000',
    OUTBOX_POLL_MS: '200',
    PUBLIC_BASE_URL: 'http://gopy.test',
    MAIL_MESSAGE_ID_DOMAIN: 'gopy.test',
    ...overrides,
  });
}
