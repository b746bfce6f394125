import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The weekly digest: one row per ISO week and version. The scheduled build claims version 1
 * with ON CONFLICT DO NOTHING, so two schedulers or a replayed job never make two; an admin's
 * rebuild adds the next version and keeps the old ones. Figures only, never personal data.
 */
export class Digests1764300000000 implements MigrationInterface {
  name = 'Digests1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE digests (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        iso_week varchar(8) NOT NULL,
        version smallint NOT NULL DEFAULT 1,
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        data jsonb NOT NULL,
        built_at timestamptz NOT NULL DEFAULT now(),
        built_by varchar(64) NOT NULL,
        CONSTRAINT pk_digests PRIMARY KEY (id),
        CONSTRAINT uq_digests_week_version UNIQUE (iso_week, version),
        CONSTRAINT ck_digests_week CHECK (iso_week ~ '^[0-9]{4}-W[0-9]{2}$')
      )`);
    // The digest's aggregates read cases by creation time, answer time and close time.
    await db.query(
      `CREATE INDEX ix_cases_first_responded ON cases (first_responded_at) WHERE first_responded_at IS NOT NULL`,
    );
    await db.query(`CREATE INDEX ix_cases_closed ON cases (closed_at) WHERE closed_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS ix_cases_closed`);
    await db.query(`DROP INDEX IF EXISTS ix_cases_first_responded`);
    await db.query(`DROP TABLE IF EXISTS digests`);
  }
}
