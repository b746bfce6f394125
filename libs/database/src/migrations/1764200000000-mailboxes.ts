import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The mail channel: where each mailbox stands (UIDVALIDITY, a lease so one worker polls
 * it, health counters) and every message seen, keyed by mailbox + UIDVALIDITY + UID, with
 * its raw source encrypted and what became of it. Outbound mail gains a keyed hash of the
 * recipient so a loop is stopped after one receipt per address.
 */
export class Mailboxes1764200000000 implements MigrationInterface {
  name = 'Mailboxes1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE mailbox_state (
        name varchar(64) NOT NULL,
        uid_validity bigint NULL,
        lease_owner varchar(64) NULL,
        lease_until timestamptz NULL,
        last_poll_at timestamptz NULL,
        last_success_at timestamptz NULL,
        imported integer NOT NULL DEFAULT 0,
        quarantined integer NOT NULL DEFAULT 0,
        errors integer NOT NULL DEFAULT 0,
        last_error text NULL,
        CONSTRAINT pk_mailbox_state PRIMARY KEY (name)
      )`);
    await db.query(`
      CREATE TABLE inbound_messages (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        mailbox varchar(64) NOT NULL,
        uid_validity bigint NOT NULL,
        uid bigint NOT NULL,
        message_id varchar(998) NULL,
        content_hash char(64) NULL,
        size_bytes integer NULL,
        status varchar(16) NOT NULL,
        attempts smallint NOT NULL DEFAULT 0,
        last_error text NULL,
        raw_ciphertext bytea NULL,
        raw_key_id varchar(32) NULL,
        case_id uuid NULL,
        submission_id uuid NULL,
        duplicate_of uuid NULL,
        moved_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_inbound_messages PRIMARY KEY (id),
        CONSTRAINT uq_inbound_messages_uid UNIQUE (mailbox, uid_validity, uid),
        CONSTRAINT fk_inbound_messages_case FOREIGN KEY (case_id) REFERENCES cases (id),
        CONSTRAINT fk_inbound_messages_submission FOREIGN KEY (submission_id) REFERENCES submissions (id),
        CONSTRAINT fk_inbound_messages_duplicate FOREIGN KEY (duplicate_of) REFERENCES inbound_messages (id),
        CONSTRAINT ck_inbound_messages_status CHECK (status IN
          ('imported','follow_up','duplicate','bounce','auto_reply','failed','quarantined')),
        CONSTRAINT ck_inbound_messages_raw_key CHECK ((raw_ciphertext IS NULL) = (raw_key_id IS NULL))
      )`);
    await db.query(`CREATE INDEX ix_inbound_messages_message_id ON inbound_messages (message_id, content_hash)
      WHERE message_id IS NOT NULL`);
    await db.query(`CREATE INDEX ix_inbound_messages_hash ON inbound_messages (content_hash)`);
    await db.query(`ALTER TABLE outbound_mails ADD COLUMN to_hash char(64) NULL`);
    await db.query(`CREATE INDEX ix_outbound_mails_to_hash ON outbound_mails (to_hash, kind, created_at)
      WHERE to_hash IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS ix_outbound_mails_to_hash`);
    await db.query(`ALTER TABLE outbound_mails DROP COLUMN IF EXISTS to_hash`);
    await db.query(`DROP TABLE IF EXISTS inbound_messages`);
    await db.query(`DROP TABLE IF EXISTS mailbox_state`);
  }
}
