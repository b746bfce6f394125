import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The desk: staff users and their sessions; ownership, routing decisions and deadlines on
 * cases; the history of assignments; responses and their delivery to each submitter.
 */
export class Desk1764000000000 implements MigrationInterface {
  name = 'Desk1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE units ADD COLUMN lead_name text NULL`);
    await db.query(`ALTER TABLE collaborators ADD COLUMN last_assigned_at timestamptz NULL`);

    await db.query(`
      CREATE TABLE staff_users (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        email varchar(254) NOT NULL,
        full_name text NOT NULL,
        password_hash text NOT NULL,
        roles varchar(16)[] NOT NULL,
        unit_id uuid NULL,
        collaborator_id uuid NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_staff_users PRIMARY KEY (id),
        CONSTRAINT fk_staff_users_unit FOREIGN KEY (unit_id) REFERENCES units (id),
        CONSTRAINT fk_staff_users_collaborator FOREIGN KEY (collaborator_id) REFERENCES collaborators (id),
        CONSTRAINT ck_staff_users_roles CHECK (cardinality(roles) > 0 AND
          roles <@ ARRAY['operator','collaborator','unit_lead','committee','admin']::varchar(16)[]),
        CONSTRAINT ck_staff_users_collaborator_role CHECK
          (NOT ('collaborator' = ANY (roles)) OR collaborator_id IS NOT NULL)
      )`);
    await db.query(`CREATE UNIQUE INDEX uq_staff_users_email ON staff_users (lower(email))`);

    // Only a hash of the session token is stored: a copy of this table opens no session.
    await db.query(`
      CREATE TABLE staff_sessions (
        token_hash char(64) NOT NULL,
        user_id uuid NOT NULL,
        csrf_token varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT pk_staff_sessions PRIMARY KEY (token_hash),
        CONSTRAINT fk_staff_sessions_user FOREIGN KEY (user_id) REFERENCES staff_users (id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX ix_staff_sessions_user ON staff_sessions (user_id)`);

    await db.query(`ALTER TABLE cases
      ADD COLUMN assignee_id uuid NULL,
      ADD COLUMN routing jsonb NULL,
      ADD COLUMN routed_at timestamptz NULL,
      ADD COLUMN declined_by uuid[] NOT NULL DEFAULT '{}',
      ADD COLUMN first_response_due_at timestamptz NULL,
      ADD COLUMN resolution_due_at timestamptz NULL,
      ADD COLUMN first_responded_at timestamptz NULL,
      ADD COLUMN closed_at timestamptz NULL,
      ADD COLUMN reminded_at timestamptz NULL,
      ADD COLUMN escalated_at timestamptz NULL,
      ADD COLUMN outcome text NULL,
      ADD COLUMN merged_into_id uuid NULL,
      ADD CONSTRAINT fk_cases_assignee FOREIGN KEY (assignee_id) REFERENCES collaborators (id),
      ADD CONSTRAINT fk_cases_merged_into FOREIGN KEY (merged_into_id) REFERENCES cases (id),
      ADD CONSTRAINT ck_cases_not_merged_into_self CHECK (merged_into_id IS NULL OR merged_into_id <> id)`);
    // Open work per person (routing counts it), the routing backlog, and the SLA sweep.
    await db.query(`CREATE INDEX ix_cases_assignee_open ON cases (assignee_id)
      WHERE status IN ('assigned','in_progress')`);
    await db.query(`CREATE INDEX ix_cases_unrouted ON cases (created_at, id)
      WHERE routed_at IS NULL AND status IN ('received','triaged')`);
    await db.query(`CREATE INDEX ix_cases_sla_open ON cases (resolution_due_at)
      WHERE status IN ('triaged','assigned','in_progress')`);
    await db.query(`CREATE INDEX ix_cases_assignee_activity ON cases (assignee_id, last_activity_at DESC, id)`);

    await db.query(`
      CREATE TABLE case_responses (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL,
        author_id uuid NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_case_responses PRIMARY KEY (id),
        CONSTRAINT fk_case_responses_case FOREIGN KEY (case_id) REFERENCES cases (id),
        CONSTRAINT fk_case_responses_author FOREIGN KEY (author_id) REFERENCES staff_users (id)
      )`);
    await db.query(`CREATE INDEX ix_case_responses_case ON case_responses (case_id, created_at)`);
    await db.query(`
      CREATE TRIGGER tr_case_responses_append_only BEFORE UPDATE OR DELETE ON case_responses
      FOR EACH ROW EXECUTE FUNCTION gopy_forbid_change()`);

    // One row per response and submitter: the tracking page always, email when one was given.
    await db.query(`
      CREATE TABLE response_deliveries (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        response_id uuid NOT NULL,
        submission_id uuid NOT NULL,
        mail_id uuid NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_response_deliveries PRIMARY KEY (id),
        CONSTRAINT uq_response_deliveries UNIQUE (response_id, submission_id),
        CONSTRAINT fk_response_deliveries_response FOREIGN KEY (response_id) REFERENCES case_responses (id),
        CONSTRAINT fk_response_deliveries_submission FOREIGN KEY (submission_id) REFERENCES submissions (id),
        CONSTRAINT fk_response_deliveries_mail FOREIGN KEY (mail_id) REFERENCES outbound_mails (id)
      )`);

    await db.query(`ALTER TABLE outbound_mails ADD COLUMN in_reply_to varchar(255) NULL`);
    await db.query(`ALTER TABLE outbound_mails ADD COLUMN thread_submission_id uuid NULL`);
    await db.query(`CREATE INDEX ix_outbound_mails_thread ON outbound_mails (thread_submission_id, created_at)
      WHERE thread_submission_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS ix_outbound_mails_thread`);
    await db.query(`ALTER TABLE outbound_mails DROP COLUMN IF EXISTS thread_submission_id`);
    await db.query(`ALTER TABLE outbound_mails DROP COLUMN IF EXISTS in_reply_to`);
    await db.query(`DROP TABLE IF EXISTS response_deliveries`);
    await db.query(`DROP TABLE IF EXISTS case_responses`);
    for (const column of [
      'merged_into_id',
      'outcome',
      'escalated_at',
      'reminded_at',
      'closed_at',
      'first_responded_at',
      'resolution_due_at',
      'first_response_due_at',
      'declined_by',
      'routed_at',
      'routing',
      'assignee_id',
    ]) {
      await db.query(`ALTER TABLE cases DROP COLUMN IF EXISTS ${column}`);
    }
    await db.query(`DROP TABLE IF EXISTS staff_sessions`);
    await db.query(`DROP TABLE IF EXISTS staff_users`);
    await db.query(`ALTER TABLE collaborators DROP COLUMN IF EXISTS last_assigned_at`);
    await db.query(`ALTER TABLE units DROP COLUMN IF EXISTS lead_name`);
  }
}
