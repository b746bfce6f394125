import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a week's digest was handed to the mail queue. A week built but never mailed (a crash
 * or Redis down between the two) is mailed by the next scheduled run or start-up. Rows from
 * before stay NULL: mailing one again finds its mails already stored (one per digest and
 * person) and sends nothing twice.
 */
export class DigestMailed1764800000000 implements MigrationInterface {
  name = 'DigestMailed1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE digests ADD COLUMN mailed_at timestamptz NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE digests DROP COLUMN IF EXISTS mailed_at`);
  }
}
