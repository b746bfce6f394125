import { resolve } from 'node:path';
import { EnvironmentSchema, validateEnvironment } from './env.schema';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** The typed settings every part of gopy receives by injection. */
export class GopyConfig {
  readonly env: EnvironmentSchema['NODE_ENV'];
  readonly http: { host: string; port: number; publicBaseUrl: string; trustProxy: boolean; bodyMaxBytes: number };
  readonly logLevel: string;
  readonly database: { url: string; poolSize: number };
  readonly redis: { url: string; queuePrefix: string };
  readonly encryption: { currentKeyId: string; keys: EncryptionKey[] };
  readonly form: { tokenSecret: string; minFillSeconds: number; tokenTtlSeconds: number };
  readonly rateLimits: { submitPerHour: number; trackPerMinute: number; loginFailuresPer15Minutes: number };
  readonly sessions: { idleMinutes: number };
  readonly sla: { sweepSeconds: number };
  readonly digest: { cron: string | null; timeZone: string; fontsDir: string };
  readonly attachments: { maxBytes: number; maxFiles: number };
  readonly mail: { smtpUrl?: string; from: string; dir: string; messageIdDomain: string };
  readonly outbox: { pollMs: number };
  readonly configDir: string;
  readonly mailboxes: { file: string; pollSeconds: number; maxBytes: number; env: Record<string, string | undefined> };
  readonly cliLanguage: 'vi' | 'en';

  constructor(schema: EnvironmentSchema) {
    this.env = schema.NODE_ENV;
    this.http = {
      host: schema.HOST,
      port: schema.PORT,
      publicBaseUrl: schema.PUBLIC_BASE_URL.replace(/\/$/, ''),
      trustProxy: schema.TRUST_PROXY,
      bodyMaxBytes: schema.BODY_MAX_BYTES,
    };
    this.logLevel = schema.LOG_LEVEL;
    this.database = { url: schema.DATABASE_URL, poolSize: schema.DATABASE_POOL_SIZE };
    this.redis = { url: schema.REDIS_URL, queuePrefix: schema.QUEUE_PREFIX };
    this.encryption = parseKeys(schema);
    this.form = {
      // Outside production an unset secret falls back to a fixed development value.
      tokenSecret: schema.FORM_TOKEN_SECRET ?? 'gopy-development-form-token-secret-not-for-production',
      minFillSeconds: schema.FORM_MIN_FILL_SECONDS,
      tokenTtlSeconds: schema.FORM_TOKEN_TTL_SECONDS,
    };
    this.rateLimits = {
      submitPerHour: schema.RATE_LIMIT_SUBMIT_PER_HOUR,
      trackPerMinute: schema.RATE_LIMIT_TRACK_PER_MINUTE,
      loginFailuresPer15Minutes: schema.LOGIN_FAILURES_PER_15_MINUTES,
    };
    this.sessions = { idleMinutes: schema.SESSION_IDLE_MINUTES };
    this.sla = { sweepSeconds: schema.SLA_SWEEP_SECONDS };
    this.digest = {
      cron: schema.DIGEST_CRON === 'off' ? null : schema.DIGEST_CRON,
      timeZone: schema.DIGEST_TIMEZONE,
      fontsDir: resolve(schema.FONTS_DIR),
    };
    this.attachments = { maxBytes: schema.ATTACHMENT_MAX_BYTES, maxFiles: schema.ATTACHMENT_MAX_FILES };
    this.mail = {
      smtpUrl: schema.SMTP_URL,
      from: schema.MAIL_FROM,
      dir: resolve(schema.MAIL_DIR),
      messageIdDomain: schema.MAIL_MESSAGE_ID_DOMAIN,
    };
    this.outbox = { pollMs: schema.OUTBOX_POLL_MS };
    this.configDir = resolve(schema.CONFIG_DIR);
    this.mailboxes = {
      file: resolve(schema.MAILBOXES_FILE ?? `${schema.CONFIG_DIR}/mailboxes.yaml`),
      pollSeconds: schema.MAILBOX_POLL_SECONDS,
      maxBytes: schema.MAIL_MAX_BYTES,
      env: {},
    };
    this.cliLanguage = schema.CLI_LANGUAGE;
  }

  get isProduction(): boolean {
    return this.env === 'production';
  }
}

// A fixed key for development and tests only; production refuses to start without its own.
const DEVELOPMENT_KEY = { id: 'dev', key: Buffer.alloc(32, 7) };

function parseKeys(schema: EnvironmentSchema): GopyConfig['encryption'] {
  if (!schema.ENCRYPTION_KEYS) return { currentKeyId: DEVELOPMENT_KEY.id, keys: [DEVELOPMENT_KEY] };
  const keys = schema.ENCRYPTION_KEYS.split(',').map((pair) => {
    const [id, material] = pair.split(':');
    const key = Buffer.from(material, 'base64');
    if (key.length !== 32) throw new Error(`ENCRYPTION_KEYS: key ${id} is not 32 bytes`);
    return { id, key };
  });
  const currentKeyId = schema.ENCRYPTION_KEY_ID ?? keys[0].id;
  if (!keys.some((k) => k.id === currentKeyId)) {
    throw new Error(`ENCRYPTION_KEY_ID ${currentKeyId} is not among ENCRYPTION_KEYS`);
  }
  return { currentKeyId, keys };
}

/** Reads and validates the environment once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): GopyConfig {
  const config = new GopyConfig(validateEnvironment(env));
  // Mailbox passwords are named by the mailboxes file; only those variables are kept.
  config.mailboxes.env = Object.fromEntries(Object.entries(env).filter(([key]) => key.startsWith('GOPY_MAILBOX_')));
  return config;
}
