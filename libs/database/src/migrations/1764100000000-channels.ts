import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Phone calls and letters: channel details on submissions (never personal: call time and
 * length, who logged it), answers by kind (a message, a callback task, a posted letter),
 * callback attempts and letter postings.
 */
export class Channels1764100000000 implements MigrationInterface {
  name = 'Channels1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE submissions ADD COLUMN channel_meta jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await db.query(`ALTER TABLE case_responses ADD COLUMN kind varchar(16) NOT NULL DEFAULT 'message'`);
    await db.query(`ALTER TABLE case_responses ADD CONSTRAINT ck_case_responses_kind
      CHECK (kind IN ('message','callback','letter'))`);
    await db.query(`
      CREATE TABLE callback_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY,
        response_id uuid NOT NULL,
        outcome varchar(16) NOT NULL,
        note text NULL,
        by_user_id uuid NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_callback_attempts PRIMARY KEY (id),
        CONSTRAINT fk_callback_attempts_response FOREIGN KEY (response_id) REFERENCES case_responses (id),
        CONSTRAINT fk_callback_attempts_by FOREIGN KEY (by_user_id) REFERENCES staff_users (id),
        CONSTRAINT ck_callback_attempts_outcome CHECK (outcome IN ('reached','not_reached','retry'))
      )`);
    await db.query(`CREATE INDEX ix_callback_attempts_response ON callback_attempts (response_id, at)`);
    await db.query(`
      CREATE TABLE letter_postings (
        response_id uuid NOT NULL,
        posted_at timestamptz NOT NULL DEFAULT now(),
        by_user_id uuid NOT NULL,
        CONSTRAINT pk_letter_postings PRIMARY KEY (response_id),
        CONSTRAINT fk_letter_postings_response FOREIGN KEY (response_id) REFERENCES case_responses (id),
        CONSTRAINT fk_letter_postings_by FOREIGN KEY (by_user_id) REFERENCES staff_users (id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS letter_postings`);
    await db.query(`DROP TABLE IF EXISTS callback_attempts`);
    await db.query(`ALTER TABLE case_responses DROP CONSTRAINT IF EXISTS ck_case_responses_kind`);
    await db.query(`ALTER TABLE case_responses DROP COLUMN IF EXISTS kind`);
    await db.query(`ALTER TABLE submissions DROP COLUMN IF EXISTS channel_meta`);
  }
}
