import { Column, Entity, PrimaryColumn } from 'typeorm';

export const ATTACHMENT_CONTEXT = 'attachments.content';

/** A file sent with a submission; its bytes are encrypted, its type sniffed from content. */
@Entity('attachments')
export class AttachmentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  submissionId!: string;

  @Column({ type: 'text' })
  filename!: string;

  @Column({ type: 'varchar', length: 100 })
  contentType!: string;

  @Column({ type: 'integer' })
  sizeBytes!: number;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'bytea' })
  contentCiphertext!: Buffer;

  @Column({ type: 'varchar', length: 32 })
  contentKeyId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
