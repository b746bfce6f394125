export { AuditEntryEntity } from './audit-entry.entity';
export { AuditModule } from './audit.module';
export { AuditService } from './audit.service';
export type { AuditAction, AuditRecord } from './audit.service';
