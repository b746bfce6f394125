import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Channel } from '@gopy/cases';

export type SubmissionKind = 'initial' | 'follow_up';

/** Contact details as sealed in `contact_ciphertext`; never stored or logged in clear. */
export interface SubmitterContact {
  name?: string;
  email?: string;
  phone?: string;
  address?: string;
}

export const CONTACT_CONTEXT = 'submissions.contact';

/** One incoming message, kept as it came, attached to a case. */
@Entity('submissions')
export class SubmissionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  caseId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: SubmissionKind;

  @Column({ type: 'varchar', length: 8 })
  channel!: Channel;

  @Column({ type: 'varchar', length: 2 })
  language!: 'vi' | 'en';

  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;

  @Column({ type: 'boolean' })
  anonymous!: boolean;

  @Column({ type: 'bytea', nullable: true })
  contactCiphertext!: Buffer | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  contactKeyId!: string | null;

  // Whether a receipt can be mailed, known without decrypting anything.
  @Column({ type: 'boolean', default: false })
  hasEmail!: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  consentAt!: Date | null;

  @Column({ type: 'smallint', default: 0 })
  attachmentCount!: number;

  // A keyed hash of the email or phone (rules/submitter-key.ts); never shown.
  @Column({ type: 'char', length: 64, nullable: true, select: false })
  submitterKey!: string | null;
}
