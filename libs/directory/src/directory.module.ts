import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@gopy/audit';
import { RoutingModule } from '@gopy/routing';
import { CollaboratorEntity } from './collaborator.entity';
import { DirectoryImportService } from './directory-import.service';
import { UnitEntity } from './unit.entity';
import { UnitsService } from './units.service';

@Module({
  imports: [TypeOrmModule.forFeature([UnitEntity, CollaboratorEntity]), AuditModule, RoutingModule],
  providers: [UnitsService, DirectoryImportService],
  exports: [UnitsService, DirectoryImportService],
})
export class DirectoryModule {}
