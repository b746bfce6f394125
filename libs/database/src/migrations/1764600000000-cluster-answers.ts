import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One answer for a hot issue: drafted, reviewed, then sent to each case of the cluster. A
 * case's row is written in the same transaction as its answer, so a send that stops half-way
 * resumes where it stopped and never answers a case twice.
 */
export class ClusterAnswers1764600000000 implements MigrationInterface {
  name = 'ClusterAnswers1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE cluster_answers (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        digest_id uuid NOT NULL,
        cluster_index smallint NOT NULL,
        body text NOT NULL,
        author_id uuid NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'draft',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz NULL,
        CONSTRAINT pk_cluster_answers PRIMARY KEY (id),
        CONSTRAINT fk_cluster_answers_digest FOREIGN KEY (digest_id) REFERENCES digests (id),
        CONSTRAINT fk_cluster_answers_author FOREIGN KEY (author_id) REFERENCES staff_users (id),
        CONSTRAINT ck_cluster_answers_status CHECK (status IN ('draft', 'sending', 'sent', 'discarded')),
        CONSTRAINT ck_cluster_answers_index CHECK (cluster_index >= 0)
      )`);
    await db.query(`CREATE INDEX ix_cluster_answers_cluster ON cluster_answers (digest_id, cluster_index, created_at)`);
    await db.query(`
      CREATE TABLE cluster_answer_cases (
        answer_id uuid NOT NULL,
        case_id uuid NOT NULL,
        outcome varchar(16) NOT NULL,
        reason varchar(40) NULL,
        response_id uuid NULL,
        at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_cluster_answer_cases PRIMARY KEY (answer_id, case_id),
        CONSTRAINT fk_cluster_answer_cases_answer FOREIGN KEY (answer_id) REFERENCES cluster_answers (id),
        CONSTRAINT fk_cluster_answer_cases_case FOREIGN KEY (case_id) REFERENCES cases (id),
        CONSTRAINT fk_cluster_answer_cases_response FOREIGN KEY (response_id) REFERENCES case_responses (id),
        CONSTRAINT ck_cluster_answer_cases_outcome CHECK (outcome IN ('sent', 'skipped'))
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS cluster_answer_cases`);
    await db.query(`DROP TABLE IF EXISTS cluster_answers`);
  }
}
