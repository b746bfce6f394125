import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The directory: units get a contact address; collaborators (tuyên truyền viên, dư luận xã
 * hội, báo cáo viên) with the topics they cover, their capacity and leave periods.
 */
export class Directory1763800000000 implements MigrationInterface {
  name = 'Directory1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE units ADD COLUMN contact_email varchar(254) NULL`);
    await db.query(`ALTER TABLE units ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await db.query(`
      CREATE TABLE collaborators (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        key varchar(32) NOT NULL,
        full_name text NOT NULL,
        email varchar(254) NOT NULL,
        phone varchar(16) NULL,
        unit_id uuid NOT NULL,
        role varchar(20) NOT NULL,
        topics text[] NOT NULL DEFAULT '{}',
        capacity smallint NOT NULL DEFAULT 10,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_collaborators PRIMARY KEY (id),
        CONSTRAINT uq_collaborators_key UNIQUE (key),
        CONSTRAINT fk_collaborators_unit FOREIGN KEY (unit_id) REFERENCES units (id),
        CONSTRAINT ck_collaborators_role CHECK (role IN ('tuyen_truyen_vien','du_luan_xa_hoi','bao_cao_vien')),
        CONSTRAINT ck_collaborators_capacity CHECK (capacity BETWEEN 0 AND 500)
      )`);
    // The routing pool: active collaborators of a unit and role.
    await db.query(`CREATE INDEX ix_collaborators_pool ON collaborators (unit_id, role) WHERE active`);
    await db.query(`CREATE INDEX ix_collaborators_topics ON collaborators USING gin (topics)`);
    await db.query(`
      CREATE TABLE collaborator_leaves (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        collaborator_id uuid NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        CONSTRAINT pk_collaborator_leaves PRIMARY KEY (id),
        CONSTRAINT fk_collaborator_leaves_collaborator FOREIGN KEY (collaborator_id) REFERENCES collaborators (id) ON DELETE CASCADE,
        CONSTRAINT ck_collaborator_leaves_order CHECK (starts_on <= ends_on)
      )`);
    await db.query(
      `CREATE INDEX ix_collaborator_leaves_collaborator ON collaborator_leaves (collaborator_id, ends_on)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS collaborator_leaves`);
    await db.query(`DROP TABLE IF EXISTS collaborators`);
    await db.query(`ALTER TABLE units DROP COLUMN IF EXISTS updated_at`);
    await db.query(`ALTER TABLE units DROP COLUMN IF EXISTS contact_email`);
  }
}
