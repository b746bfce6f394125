import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CaseEntity } from './case.entity';
import { CaseEventEntity } from './case-event.entity';
import { CasesService } from './cases.service';
import { TopicCatalog } from './topic-catalog';

@Module({
  imports: [TypeOrmModule.forFeature([CaseEntity, CaseEventEntity])],
  providers: [CasesService, TopicCatalog],
  exports: [CasesService, TopicCatalog, TypeOrmModule],
})
export class CasesModule {}
