#!/usr/bin/env node
// The bare baseline for bench/intake.bench.mjs: POST /api/v1/submissions with plain Fastify
// and a pg Pool, no Nest, no TypeORM, no pino, no helmet. It does the same work as gopy's
// IntakeService.submit() for an attachment-free submission:
//   - refuses bodies that are not valid UTF-8, parses the JSON;
//   - validates with the same rules: by default the compiled CreateSubmissionDto itself
//     (class-transformer NFC transforms + class-validator, gopy's VALIDATOR_OPTIONS);
//     with BASELINE_VALIDATION=hand, equivalent hand-written checks (same NFC normalisation,
//     the same validator.js length/email primitives class-validator uses);
//   - the policy: no U+FFFD in text fields, known topic, known active unit, contact rules
//     (libphonenumber-js/max via gopy's contactIssues);
//   - seals the contact JSON with AES-256-GCM (gopy's seal(), same AAD context);
//   - a random tracking code (gopy's generateTrackingCode);
//   - BEGIN; the same four INSERTs (cases, submissions, case_events, outbox: the outbox
//     trigger fires pg_notify) with the same columns and RETURNING lists; COMMIT.
// Pure helpers are loaded from gopy's compiled dist so the rules cannot drift.
//
// Environment: PORT, HOST, DATABASE_URL, DATABASE_POOL_SIZE, ENCRYPTION_KEYS (the first key
// seals), PUBLIC_BASE_URL, CONFIG_DIR, BODY_MAX_BYTES, BASELINE_VALIDATION=dto|hand.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist/apps/api');
const require = createRequire(import.meta.url);
const fromDist = (path) => require(join(DIST, path));

const Fastify = require('fastify');
const { Pool } = require('pg');
require('reflect-metadata');

const { isValidUtf8, hasReplacementChar, normalizeLine, normalizeText } = fromDist('libs/text/src/normalize.js');
const { contactIssues, normalizeVietnamesePhone } = fromDist('libs/intake/src/rules/contact-rules.js');
const { LIMITS } = fromDist('libs/intake/src/rules/limits.js');
const { seal } = fromDist('libs/crypto/src/cipher.js');
const { generateTrackingCode, formatTrackingCode } = fromDist('libs/cases/src/rules/tracking-code.js');
const { loadTopics } = fromDist('config/src/topics.js');

const env = process.env;
const PORT = Number(env.PORT ?? 3100);
const HOST = env.HOST ?? '127.0.0.1';
const PUBLIC_BASE_URL = (env.PUBLIC_BASE_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const MODE = env.BASELINE_VALIDATION ?? 'dto';
const CONTACT_CONTEXT = 'submissions.contact';
const TEXT_FIELDS = ['subject', 'body', 'name', 'email', 'phone', 'address', 'unitCode'];

const [keyId, keyBase64] = (env.ENCRYPTION_KEYS ?? '').split(',')[0].split(':');
if (!keyId || !keyBase64 || Buffer.from(keyBase64, 'base64').length !== 32) {
  console.error('baseline: ENCRYPTION_KEYS must be keyId:base64(32 bytes)');
  process.exit(2);
}
const KEY = Buffer.from(keyBase64, 'base64');
const topics = new Set(loadTopics(join(ROOT, env.CONFIG_DIR ?? 'config')).map((t) => t.code));

const pool = new Pool({
  connectionString: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gopy_bench',
  max: Number(env.DATABASE_POOL_SIZE ?? 10),
  application_name: 'gopy-baseline',
});

// ---------------------------------------------------------------- validation

let validateBody;
if (MODE === 'dto') {
  const { plainToInstance } = require('class-transformer');
  const { validate } = require('class-validator');
  const { CreateSubmissionDto } = fromDist('libs/intake/src/dto/create-submission.dto.js');
  const { VALIDATOR_OPTIONS } = fromDist('libs/intake/src/dto/validate-dto.js');
  const { toFieldIssues } = fromDist('libs/intake/src/dto/to-field-issues.js');
  validateBody = async (plain) => {
    const dto = plainToInstance(CreateSubmissionDto, plain);
    const errors = await validate(dto, VALIDATOR_OPTIONS);
    return errors.length > 0 ? { issues: toFieldIssues(errors) } : { dto };
  };
} else if (MODE === 'hand') {
  const isLength = require('validator/lib/isLength').default;
  const isEmail = require('validator/lib/isEmail').default;
  const ALLOWED = new Set([
    'topic',
    'unitCode',
    'subject',
    'body',
    'anonymous',
    'consent',
    'name',
    'email',
    'phone',
    'address',
    'language',
    'attachments',
  ]);
  // The DTO's @OneLine / @MultiLine transforms.
  const oneLine = (v) => {
    if (typeof v !== 'string') return v;
    const line = normalizeLine(v);
    return line === '' ? undefined : line;
  };
  const multiLine = (v) => {
    if (typeof v !== 'string') return v;
    const text = normalizeText(v).trim();
    return text === '' ? undefined : text;
  };
  const given = (v) => v !== undefined && v !== null; // @IsOptional
  validateBody = async (plain) => {
    if (plain === null || typeof plain !== 'object' || Array.isArray(plain))
      return { issues: { body: { code: 'invalid_value' } } };
    const issues = {};
    for (const key of Object.keys(plain)) if (!ALLOWED.has(key)) issues[key] = { code: 'unknown_field' };
    const dto = {
      topic: plain.topic,
      unitCode: oneLine(plain.unitCode),
      subject: oneLine(plain.subject),
      body: multiLine(plain.body),
      anonymous: plain.anonymous,
      consent: plain.consent,
      name: oneLine(plain.name),
      email: oneLine(plain.email),
      phone: oneLine(plain.phone),
      address: oneLine(plain.address),
      language: plain.language,
      attachments: plain.attachments,
    };
    const required = (field, code, min, max) => {
      const v = dto[field];
      if (typeof v !== 'string' || v === '') issues[field] = { code };
      else if (min !== undefined && !isLength(v, { min })) issues[field] = { code: 'too_short', params: { min } };
      else if (max !== undefined && !isLength(v, { max })) issues[field] = { code: 'too_long', params: { max } };
    };
    const optional = (field, code, max) => {
      const v = dto[field];
      if (!given(v)) return;
      if (typeof v !== 'string') issues[field] = { code };
      else if (max !== undefined && !isLength(v, { max })) issues[field] = { code: 'too_long', params: { max } };
    };
    required('topic', 'choose');
    optional('unitCode', 'invalid_value');
    required('subject', 'required', LIMITS.subject.min, LIMITS.subject.max);
    required('body', 'required', LIMITS.body.min, LIMITS.body.max);
    if (typeof dto.anonymous !== 'boolean') issues.anonymous = { code: 'choose' };
    if (given(dto.consent) && typeof dto.consent !== 'boolean') issues.consent = { code: 'not_boolean' };
    optional('name', 'invalid_value', LIMITS.name.max);
    optional('email', 'invalid_email', LIMITS.email.max);
    if (given(dto.email) && !issues.email && !isEmail(dto.email)) issues.email = { code: 'invalid_email' };
    optional('phone', 'invalid_phone', LIMITS.phone.max);
    optional('address', 'invalid_value', LIMITS.address.max);
    if (given(dto.language) && dto.language !== 'vi' && dto.language !== 'en')
      issues.language = { code: 'invalid_value' };
    if (given(dto.attachments) && (!Array.isArray(dto.attachments) || dto.attachments.length > 20)) {
      issues.attachments = { code: 'invalid_value' };
    }
    return Object.keys(issues).length > 0 ? { issues } : { dto };
  };
} else {
  console.error(`baseline: BASELINE_VALIDATION must be dto or hand, not ${MODE}`);
  process.exit(2);
}

// ---------------------------------------------------------------- policy

let unitCache;
async function findActiveUnit(code) {
  // gopy's UnitsService: the active units, cached for 30 s.
  if (!unitCache || Date.now() - unitCache.at >= 30_000) {
    const { rows } = await pool.query('SELECT id, code, name FROM units WHERE active = true ORDER BY code');
    unitCache = { at: Date.now(), units: rows };
  }
  return unitCache.units.find((u) => u.code === code);
}

async function policyIssues(dto) {
  const issues = {};
  for (const field of TEXT_FIELDS) {
    if (typeof dto[field] === 'string' && hasReplacementChar(dto[field])) issues[field] = { code: 'invalid_encoding' };
  }
  if (typeof dto.topic !== 'string' || !topics.has(dto.topic)) issues.topic = { code: 'unknown_topic' };
  const unit = dto.unitCode ? await findActiveUnit(dto.unitCode) : undefined;
  if (dto.unitCode && !unit) issues.unitCode = { code: 'unknown_unit' };
  if (typeof dto.anonymous === 'boolean') {
    for (const [field, found] of Object.entries(contactIssues({ ...dto, anonymous: dto.anonymous === true }))) {
      issues[field] ??= found;
    }
  }
  // Attachments (sniffing, sealing, the attachments table) are not part of this baseline.
  if (Array.isArray(dto.attachments) && dto.attachments.length > 0)
    issues.attachments = { code: 'unsupported_in_baseline' };
  return { issues, unit };
}

// ---------------------------------------------------------------- storage

const INSERT_CASE = `INSERT INTO "cases"("id", "tracking_code", "status", "topic", "unit_id", "priority", "channel", "subject", "created_at", "updated_at", "last_activity_at") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING "status", "priority", "created_at", "updated_at", "last_activity_at"`;
const INSERT_SUBMISSION = `INSERT INTO "submissions"("id", "case_id", "kind", "channel", "language", "subject", "body", "received_at", "anonymous", "contact_ciphertext", "contact_key_id", "has_email", "consent_at", "attachment_count") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING "received_at", "has_email", "attachment_count"`;
const INSERT_EVENT = `INSERT INTO "case_events"("case_id", "type", "visibility", "actor", "data", "occurred_at") VALUES ($1, $2, $3, $4, $5, $6) RETURNING "id", "data", "occurred_at"`;
const INSERT_OUTBOX = `INSERT INTO "outbox"("job", "payload", "created_at", "published_at", "attempts", "last_error") VALUES ($1, $2, DEFAULT, DEFAULT, DEFAULT, DEFAULT) RETURNING "id", "created_at", "attempts"`;

async function store(dto, unit, language) {
  const now = new Date();
  const caseId = randomUUID();
  const submissionId = randomUUID();
  const trackingCode = generateTrackingCode();
  const contact = dto.anonymous
    ? {}
    : {
        name: dto.name,
        email: dto.email,
        phone: dto.phone ? normalizeVietnamesePhone(dto.phone) : undefined,
        address: dto.address,
      };
  const hasContact = Object.values(contact).some((v) => v !== undefined);
  const sealed = hasContact ? seal(KEY, Buffer.from(JSON.stringify(contact), 'utf8'), CONTACT_CONTEXT) : null;

  const client = await pool.connect();
  try {
    await client.query('START TRANSACTION');
    await client.query(INSERT_CASE, [
      caseId,
      trackingCode,
      'received',
      dto.topic,
      unit?.id ?? null,
      'normal',
      'api',
      dto.subject,
      now,
      now,
      now,
    ]);
    await client.query(INSERT_SUBMISSION, [
      submissionId,
      caseId,
      'initial',
      'api',
      dto.language ?? language,
      dto.subject,
      dto.body,
      now,
      dto.anonymous,
      sealed,
      sealed ? keyId : null,
      Boolean(contact.email),
      hasContact ? now : null,
      0,
    ]);
    await client.query(INSERT_EVENT, [
      caseId,
      'received',
      'public',
      'submitter',
      JSON.stringify({ channel: 'api', submissionId, attachments: 0 }),
      now,
    ]);
    await client.query(INSERT_OUTBOX, ['case.received', JSON.stringify({ caseId, submissionId })]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  const formatted = formatTrackingCode(trackingCode);
  return {
    trackingCode: formatted,
    status: 'received',
    receivedAt: now.toISOString(),
    trackingUrl: `${PUBLIC_BASE_URL}/theo-doi/${formatted}`,
    receiptByEmail: Boolean(contact.email),
  };
}

// ---------------------------------------------------------------- HTTP

class HttpError extends Error {
  constructor(status, code, fields) {
    super(code);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

const app = Fastify({ logger: false, bodyLimit: Number(env.BODY_MAX_BYTES ?? 32 * 1024 * 1024) });
app.removeAllContentTypeParsers();
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
  if (!isValidUtf8(body)) return done(new HttpError(400, 'invalid_encoding'));
  if (body.length === 0) return done(null, {});
  try {
    done(null, JSON.parse(body.toString('utf8')));
  } catch {
    done(new HttpError(400, 'malformed_body'));
  }
});
app.setErrorHandler((error, _request, reply) => {
  if (error instanceof HttpError) {
    return reply.code(error.status).send({ error: error.code, ...(error.fields ? { fields: error.fields } : {}) });
  }
  if (error.statusCode && error.statusCode < 500)
    return reply.code(error.statusCode).send({ error: error.code ?? 'bad_request' });
  console.error('baseline:', error);
  return reply.code(500).send({ error: 'internal_error' });
});

app.get('/health', async () => ({ status: 'ok' }));

app.post('/api/v1/submissions', async (request, reply) => {
  const language = (request.headers['accept-language'] ?? '').toLowerCase().startsWith('en') ? 'en' : 'vi';
  const checked = await validateBody(request.body);
  if (checked.issues) throw new HttpError(422, 'validation_failed', checked.issues);
  const { issues, unit } = await policyIssues(checked.dto);
  if (Object.keys(issues).length > 0) throw new HttpError(422, 'validation_failed', issues);
  for (let attempt = 1; ; attempt++) {
    try {
      const receipt = await store(checked.dto, unit, language);
      return reply.code(201).send(receipt);
    } catch (error) {
      // A tracking code collision draws another code, as gopy does.
      if (error.constraint !== 'uq_cases_tracking_code' || attempt >= 3) throw error;
    }
  }
});

async function shutdown() {
  await app.close().catch(() => undefined);
  await pool.end().catch(() => undefined);
  process.exit(0);
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

await app.listen({ port: PORT, host: HOST });
console.error(`baseline: listening on http://${HOST}:${PORT} (validation: ${MODE})`);
