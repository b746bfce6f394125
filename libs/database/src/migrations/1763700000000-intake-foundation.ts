import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The foundation: units, cases, submissions with encrypted personal data, attachments,
 * the append-only case timeline, the transactional outbox, idempotency keys and outbound
 * mail. Written by hand so every constraint and index has a name that says what it guards.
 */
export class IntakeFoundation1763700000000 implements MigrationInterface {
  name = 'IntakeFoundation1763700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await db.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    // unaccent() is only STABLE; this wrapper pins the dictionary so indexes may use it.
    await db.query(`
      CREATE OR REPLACE FUNCTION gopy_fold(value text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$`);

    await db.query(`
      CREATE TABLE units (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        code varchar(32) NOT NULL,
        name text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_units PRIMARY KEY (id),
        CONSTRAINT uq_units_code UNIQUE (code)
      )`);

    await db.query(`
      CREATE TABLE cases (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        tracking_code char(15) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'received',
        topic varchar(64) NOT NULL,
        unit_id uuid NULL,
        priority varchar(8) NOT NULL DEFAULT 'normal',
        channel varchar(8) NOT NULL,
        subject text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_activity_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_cases PRIMARY KEY (id),
        CONSTRAINT uq_cases_tracking_code UNIQUE (tracking_code),
        CONSTRAINT fk_cases_unit FOREIGN KEY (unit_id) REFERENCES units (id),
        CONSTRAINT ck_cases_status CHECK (status IN
          ('received','triaged','assigned','in_progress','answered','closed','rejected','spam')),
        CONSTRAINT ck_cases_priority CHECK (priority IN ('low','normal','high','urgent')),
        CONSTRAINT ck_cases_channel CHECK (channel IN ('web','api','email','phone','letter'))
      )`);
    await db.query(`CREATE INDEX ix_cases_status_activity ON cases (status, last_activity_at DESC, id)`);
    await db.query(`CREATE INDEX ix_cases_unit_status ON cases (unit_id, status, last_activity_at DESC)`);
    await db.query(`CREATE INDEX ix_cases_topic_created ON cases (topic, created_at DESC)`);
    await db.query(`CREATE INDEX ix_cases_created ON cases (created_at DESC, id)`);

    await db.query(`
      CREATE TABLE submissions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL,
        kind varchar(16) NOT NULL,
        channel varchar(8) NOT NULL,
        language varchar(2) NOT NULL,
        subject text NULL,
        body text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        anonymous boolean NOT NULL,
        contact_ciphertext bytea NULL,
        contact_key_id varchar(32) NULL,
        has_email boolean NOT NULL DEFAULT false,
        consent_at timestamptz NULL,
        attachment_count smallint NOT NULL DEFAULT 0,
        search_vector tsvector GENERATED ALWAYS AS
          (to_tsvector('simple', gopy_fold(coalesce(subject, '') || ' ' || body))) STORED,
        CONSTRAINT pk_submissions PRIMARY KEY (id),
        CONSTRAINT fk_submissions_case FOREIGN KEY (case_id) REFERENCES cases (id),
        CONSTRAINT ck_submissions_kind CHECK (kind IN ('initial','follow_up')),
        CONSTRAINT ck_submissions_channel CHECK (channel IN ('web','api','email','phone','letter')),
        CONSTRAINT ck_submissions_contact_key CHECK ((contact_ciphertext IS NULL) = (contact_key_id IS NULL)),
        CONSTRAINT ck_submissions_anonymous_has_no_contact CHECK (NOT anonymous OR contact_ciphertext IS NULL),
        CONSTRAINT ck_submissions_contact_needs_consent CHECK (contact_ciphertext IS NULL OR consent_at IS NOT NULL)
      )`);
    await db.query(`CREATE INDEX ix_submissions_case_received ON submissions (case_id, received_at)`);
    await db.query(`CREATE INDEX ix_submissions_search ON submissions USING gin (search_vector)`);
    await db.query(
      `CREATE INDEX ix_submissions_body_trgm ON submissions USING gin (gopy_fold(coalesce(subject, '') || ' ' || body) gin_trgm_ops)`,
    );

    await db.query(`
      CREATE TABLE attachments (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        submission_id uuid NOT NULL,
        filename text NOT NULL,
        content_type varchar(100) NOT NULL,
        size_bytes integer NOT NULL,
        sha256 char(64) NOT NULL,
        content_ciphertext bytea NOT NULL,
        content_key_id varchar(32) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_attachments PRIMARY KEY (id),
        CONSTRAINT fk_attachments_submission FOREIGN KEY (submission_id) REFERENCES submissions (id),
        CONSTRAINT ck_attachments_size CHECK (size_bytes > 0)
      )`);
    await db.query(`CREATE INDEX ix_attachments_submission ON attachments (submission_id)`);

    await db.query(`
      CREATE TABLE case_events (
        id bigint GENERATED ALWAYS AS IDENTITY,
        case_id uuid NOT NULL,
        type varchar(40) NOT NULL,
        visibility varchar(8) NOT NULL,
        actor varchar(64) NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_case_events PRIMARY KEY (id),
        CONSTRAINT fk_case_events_case FOREIGN KEY (case_id) REFERENCES cases (id),
        CONSTRAINT ck_case_events_visibility CHECK (visibility IN ('public','internal'))
      )`);
    await db.query(`CREATE INDEX ix_case_events_case_time ON case_events (case_id, occurred_at, id)`);
    // The timeline is append-only: history is never rewritten.
    await db.query(`
      CREATE OR REPLACE FUNCTION gopy_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`
      CREATE TRIGGER tr_case_events_append_only BEFORE UPDATE OR DELETE ON case_events
      FOR EACH ROW EXECUTE FUNCTION gopy_forbid_change()`);

    await db.query(`
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY,
        job varchar(64) NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text NULL,
        CONSTRAINT pk_outbox PRIMARY KEY (id)
      )`);
    await db.query(`CREATE INDEX ix_outbox_unpublished ON outbox (id) WHERE published_at IS NULL`);
    // Wakes the relay at commit, whoever wrote the row, without an extra round trip.
    await db.query(`
      CREATE OR REPLACE FUNCTION gopy_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('gopy_outbox', '');
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER tr_outbox_notify AFTER INSERT ON outbox
      FOR EACH STATEMENT EXECUTE FUNCTION gopy_outbox_notify()`);

    await db.query(`
      CREATE TABLE idempotency_keys (
        key varchar(300) NOT NULL,
        request_hash char(64) NOT NULL,
        response_status smallint NOT NULL,
        response_body jsonb NOT NULL,
        case_id uuid NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_idempotency_keys PRIMARY KEY (key),
        CONSTRAINT fk_idempotency_keys_case FOREIGN KEY (case_id) REFERENCES cases (id)
      )`);
    await db.query(`CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at)`);

    await db.query(`
      CREATE TABLE outbound_mails (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        kind varchar(32) NOT NULL,
        ref_id uuid NOT NULL,
        case_id uuid NULL,
        to_ciphertext bytea NOT NULL,
        to_key_id varchar(32) NOT NULL,
        subject text NOT NULL,
        html text NOT NULL,
        text text NOT NULL,
        message_id varchar(255) NOT NULL,
        status varchar(8) NOT NULL DEFAULT 'queued',
        attempts integer NOT NULL DEFAULT 0,
        last_error text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz NULL,
        CONSTRAINT pk_outbound_mails PRIMARY KEY (id),
        CONSTRAINT uq_outbound_mails_kind_ref UNIQUE (kind, ref_id),
        CONSTRAINT uq_outbound_mails_message_id UNIQUE (message_id),
        CONSTRAINT fk_outbound_mails_case FOREIGN KEY (case_id) REFERENCES cases (id),
        CONSTRAINT ck_outbound_mails_status CHECK (status IN ('queued','sent','failed'))
      )`);
    await db.query(`CREATE INDEX ix_outbound_mails_status ON outbound_mails (status, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'outbound_mails',
      'idempotency_keys',
      'outbox',
      'case_events',
      'attachments',
      'submissions',
      'cases',
      'units',
    ]) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await db.query(`DROP FUNCTION IF EXISTS gopy_forbid_change()`);
    await db.query(`DROP FUNCTION IF EXISTS gopy_outbox_notify()`);
    await db.query(`DROP FUNCTION IF EXISTS gopy_fold(text)`);
  }
}
