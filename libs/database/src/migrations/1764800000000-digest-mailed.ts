import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a week's digest was handed to the mail queue. A week built but never mailed (a crash
 * or Redis down between the two) is mailed by the next scheduled run or start-up. Digests
 * built before this column were mailed as they were built, so they count as mailed then.
 */
export class DigestMailed1764800000000 implements MigrationInterface {
  name = 'DigestMailed1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE digests ADD COLUMN mailed_at timestamptz NULL`);
    await db.query(`UPDATE digests SET mailed_at = built_at`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE digests DROP COLUMN IF EXISTS mailed_at`);
  }
}
