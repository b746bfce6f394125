import { MigrationInterface, QueryRunner } from 'typeorm';

/** Inline images for mail rendered once (the digest's charts), kept with the mail until sent. */
export class MailAttachments1764400000000 implements MigrationInterface {
  name = 'MailAttachments1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbound_mails ADD COLUMN attachments jsonb NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbound_mails DROP COLUMN IF EXISTS attachments`);
  }
}
