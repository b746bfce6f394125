import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CaseStatus } from './rules/case-status';

export type Channel = 'web' | 'api' | 'email' | 'phone' | 'letter';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';

/** The unit of work: one opinion (or several merged), with a tracking code and a status. */
@Entity('cases')
export class CaseEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'char', length: 15 })
  trackingCode!: string;

  @Column({ type: 'varchar', length: 16, default: 'received' })
  status!: CaseStatus;

  @Column({ type: 'varchar', length: 64 })
  topic!: string;

  @Column({ type: 'uuid', nullable: true })
  unitId!: string | null;

  @Column({ type: 'varchar', length: 8, default: 'normal' })
  priority!: Priority;

  @Column({ type: 'varchar', length: 8 })
  channel!: Channel;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastActivityAt!: Date;
}
