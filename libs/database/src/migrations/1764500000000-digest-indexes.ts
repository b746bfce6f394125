import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the weekly digest's aggregates, so that a week of a 1,000,000-case year is read
 * through indexes instead of five full scans of the cases (docs/benchmarks.md, "Weekly digest").
 */
export class DigestIndexes1764500000000 implements MigrationInterface {
  name = 'DigestIndexes1764500000000';

  async up(db: QueryRunner): Promise<void> {
    // "Received by" channel, topic and unit, the trend and the spikes: index-only scans.
    await db.query(`CREATE INDEX ix_cases_received ON cases (created_at) INCLUDE (channel, topic, unit_id)
      WHERE merged_into_id IS NULL`);
    // Deadlines due in the week: a BitmapOr of the two (ix_cases_sla_open holds open cases only).
    await db.query(`CREATE INDEX ix_cases_first_response_due ON cases (first_response_due_at)`);
    await db.query(`CREATE INDEX ix_cases_resolution_due ON cases (resolution_due_at)`);
    // The backlog: "closed_at IS NULL OR closed_at >= $1" with ix_cases_closed.
    await db.query(`CREATE INDEX ix_cases_unclosed ON cases (created_at) WHERE closed_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS ix_cases_unclosed`);
    await db.query(`DROP INDEX IF EXISTS ix_cases_resolution_due`);
    await db.query(`DROP INDEX IF EXISTS ix_cases_first_response_due`);
    await db.query(`DROP INDEX IF EXISTS ix_cases_received`);
  }
}
