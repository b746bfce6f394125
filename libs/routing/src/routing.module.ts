import { Module } from '@nestjs/common';
import { CasesModule } from '@gopy/cases';
import { RoutingService } from './routing.service';

@Module({
  imports: [CasesModule],
  providers: [RoutingService],
  exports: [RoutingService],
})
export class RoutingModule {}
