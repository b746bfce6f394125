import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CollaboratorRole } from './rules/directory-rows';

/** A person who answers or reads cases for a unit, in one role, within a capacity. */
@Entity('collaborators')
export class CollaboratorEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  // The stable key re-imports update by.
  @Column({ type: 'varchar', length: 32 })
  key!: string;

  @Column({ type: 'text' })
  fullName!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  phone!: string | null;

  @Column({ type: 'uuid' })
  unitId!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: CollaboratorRole;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  topics!: string[];

  @Column({ type: 'smallint', default: 10 })
  capacity!: number;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
