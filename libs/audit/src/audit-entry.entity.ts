import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One line of the audit log. Append-only: triggers refuse UPDATE, DELETE and TRUNCATE. */
@Entity('audit_log')
export class AuditEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;

  // A staff user id, or 'system' / 'cli'; never a submitter.
  @Column({ type: 'varchar', length: 64 })
  actor!: string;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'uuid', nullable: true })
  caseId!: string | null;

  // What was done, without personal data: ids, counts, field names, never values.
  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  detail!: Record<string, unknown>;

  // Where from: a keyed hash of the client IP, or the host of a CLI run.
  @Column({ type: 'varchar', length: 64, nullable: true })
  origin!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;
}
