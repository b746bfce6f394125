import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type EventVisibility = 'public' | 'internal';

/** One line of a case's timeline. Append-only: a trigger refuses UPDATE and DELETE. */
@Entity('case_events')
export class CaseEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  caseId!: string;

  @Column({ type: 'varchar', length: 40 })
  type!: string;

  @Column({ type: 'varchar', length: 8 })
  visibility!: EventVisibility;

  // 'system', 'submitter' or a staff user id; never a submitter's name.
  @Column({ type: 'varchar', length: 64 })
  actor!: string;

  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  data!: Record<string, unknown>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;
}
