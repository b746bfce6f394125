import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The first response to a request made with an Idempotency-Key (or a form token). */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 300 })
  key!: string;

  @Column({ type: 'char', length: 64 })
  requestHash!: string;

  @Column({ type: 'smallint' })
  responseStatus!: number;

  @Column({ type: 'jsonb' })
  responseBody!: Record<string, unknown>;

  @Column({ type: 'uuid', nullable: true })
  caseId!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
