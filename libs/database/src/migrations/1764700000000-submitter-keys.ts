import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who sent a submission, as a keyed hash of their email or phone (NULL when anonymous): hot
 * issues count different people, not different cases. Older rows stay NULL and count as a
 * person each, as before.
 */
export class SubmitterKeys1764700000000 implements MigrationInterface {
  name = 'SubmitterKeys1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE submissions ADD COLUMN submitter_key char(64) NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE submissions DROP COLUMN IF EXISTS submitter_key`);
  }
}
