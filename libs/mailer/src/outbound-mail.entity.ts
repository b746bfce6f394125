import { Column, Entity, PrimaryColumn } from 'typeorm';

export type MailStatus = 'queued' | 'sent' | 'failed';
export const RECIPIENT_CONTEXT = 'outbound_mails.to';

/** A mail rendered once and kept until sent; the recipient is encrypted. */
@Entity('outbound_mails')
export class OutboundMailEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  // What the mail is about (a submission for a receipt); (kind, refId) is unique.
  @Column({ type: 'uuid' })
  refId!: string;

  @Column({ type: 'uuid', nullable: true })
  caseId!: string | null;

  @Column({ type: 'bytea' })
  toCiphertext!: Buffer;

  @Column({ type: 'varchar', length: 32 })
  toKeyId!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  html!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'varchar', length: 255 })
  messageId!: string;

  @Column({ type: 'varchar', length: 8, default: 'queued' })
  status!: MailStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ type: 'char', length: 64, nullable: true })
  toHash!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  attachments!: { filename: string; cid: string; contentType: string; content: string }[] | null;
}
