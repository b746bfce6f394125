import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: who did what, when, to which case, from where. Append-only for every
 * database role, the application's included: triggers refuse UPDATE, DELETE and TRUNCATE.
 */
export class AuditLog1763900000000 implements MigrationInterface {
  name = 'AuditLog1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor varchar(64) NOT NULL,
        action varchar(64) NOT NULL,
        case_id uuid NULL,
        detail jsonb NOT NULL DEFAULT '{}'::jsonb,
        origin varchar(64) NULL,
        request_id varchar(64) NULL,
        CONSTRAINT pk_audit_log PRIMARY KEY (id),
        CONSTRAINT fk_audit_log_case FOREIGN KEY (case_id) REFERENCES cases (id)
      )`);
    await db.query(`CREATE INDEX ix_audit_log_case_time ON audit_log (case_id, occurred_at) WHERE case_id IS NOT NULL`);
    await db.query(`CREATE INDEX ix_audit_log_actor_time ON audit_log (actor, occurred_at)`);
    await db.query(`CREATE INDEX ix_audit_log_time ON audit_log (occurred_at)`);
    await db.query(`
      CREATE TRIGGER tr_audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION gopy_forbid_change()`);
    await db.query(`
      CREATE TRIGGER tr_audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION gopy_forbid_change()`);
    await db.query(`
      CREATE TRIGGER tr_case_events_no_truncate BEFORE TRUNCATE ON case_events
      FOR EACH STATEMENT EXECUTE FUNCTION gopy_forbid_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER IF EXISTS tr_case_events_no_truncate ON case_events`);
    await db.query(`DROP TABLE IF EXISTS audit_log`);
  }
}
