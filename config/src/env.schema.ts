import { Transform, plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : typeof value === 'string'
      ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase())
      : value === true;

/**
 * Every setting gopy reads from the environment, with its default. Validated once at start;
 * nothing else reads `process.env`.
 */
export class EnvironmentSchema {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsString()
  HOST = '0.0.0.0';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_BASE_URL = 'http://localhost:3000';

  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY = false;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/gopy';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  DATABASE_POOL_SIZE = 10;

  @IsString()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  // Braces make every key of one queue hash to the same Redis Cluster slot.
  @Matches(/^\{[\w-]+\}$/, { message: 'QUEUE_PREFIX must look like {gopy}' })
  QUEUE_PREFIX = '{gopy}';

  /** Comma-separated `keyId:base64key` pairs; each key is 32 bytes. */
  @ValidateIf((env: EnvironmentSchema) => env.NODE_ENV === 'production' || env.ENCRYPTION_KEYS !== undefined)
  @Matches(/^[\w-]+:[A-Za-z0-9+/=]{43,44}(,[\w-]+:[A-Za-z0-9+/=]{43,44})*$/, {
    message: 'ENCRYPTION_KEYS must be keyId:base64(32 bytes)[,keyId:base64...]; production refuses to start without it',
  })
  ENCRYPTION_KEYS?: string;

  /** The key new data is encrypted with; defaults to the first of ENCRYPTION_KEYS. */
  @IsOptional()
  @IsString()
  ENCRYPTION_KEY_ID?: string;

  @ValidateIf((env: EnvironmentSchema) => env.NODE_ENV === 'production' || env.FORM_TOKEN_SECRET !== undefined)
  @IsString()
  @MinLength(32, { message: 'FORM_TOKEN_SECRET must be at least 32 characters' })
  FORM_TOKEN_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  FORM_MIN_FILL_SECONDS = 3;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  FORM_TOKEN_TTL_SECONDS = 6 * 3600;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_SUBMIT_PER_HOUR = 20;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_TRACK_PER_MINUTE = 30;

  // Failed desk logins allowed per account and address in 15 minutes.
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_FAILURES_PER_15_MINUTES = 5;

  // A desk session ends after this many minutes without a request.
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES = 120;

  // How often the SLA sweeper looks for reminders and breaches (0 = never, for tests).
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SLA_SWEEP_SECONDS = 300;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(20)
  ATTACHMENT_MAX_FILES = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  BODY_MAX_BYTES = 32 * 1024 * 1024;

  @IsOptional()
  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must be smtp:// or smtps://' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'Hòm thư góp ý gopy <gopy@localhost>';

  @IsString()
  MAIL_DIR = 'var/mail';

  @IsString()
  MAIL_MESSAGE_ID_DOMAIN = 'gopy.localhost';

  @Transform(toInt)
  @IsInt()
  @Min(50)
  OUTBOX_POLL_MS = 1000;

  @IsString()
  CONFIG_DIR = 'config';

  // The mailboxes file; default CONFIG_DIR/mailboxes.yaml.
  @IsOptional()
  @IsString()
  MAILBOXES_FILE?: string;

  // When the weekly digest is built (cron, in DIGEST_TIMEZONE); "off" builds none.
  @IsString()
  DIGEST_CRON = '0 7 * * 1';

  @IsString()
  DIGEST_TIMEZONE = 'Asia/Ho_Chi_Minh';

  // Fonts embedded in PDF exports (Vietnamese letters).
  @IsString()
  FONTS_DIR = 'assets/fonts';

  // Seconds between polls of each mailbox (0 = the worker does not poll).
  @Transform(toInt)
  @IsInt()
  @Min(0)
  MAILBOX_POLL_SECONDS = 60;

  // Mail larger than this is not imported: one polite reply, then the quarantine folder.
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  MAIL_MAX_BYTES = 15 * 1024 * 1024;

  /** Language of the command-line tools' messages. */
  @IsIn(['vi', 'en'])
  CLI_LANGUAGE: 'vi' | 'en' = 'vi';
}

export class EnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n  - ${problems.join('\n  - ')}`);
  }
}

/** Validates the environment; throws EnvironmentError listing every problem at once. */
export function validateEnvironment(env: Record<string, string | undefined>): EnvironmentSchema {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const schema = plainToInstance(EnvironmentSchema, defined, { exposeDefaultValues: true });
  const errors = validateSync(schema, { whitelist: false });
  if (errors.length > 0) {
    throw new EnvironmentError(
      errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`)),
    );
  }
  return schema;
}
