import { Module } from '@nestjs/common';
import { AuditModule } from '@gopy/audit';
import { AuthModule } from '@gopy/auth';
import { CasesModule } from '@gopy/cases';
import { CryptoModule } from '@gopy/crypto';
import { IntakeModule } from '@gopy/intake';
import { MailerModule } from '@gopy/mailer';
import { RoutingModule } from '@gopy/routing';
import { QueueModule } from '@gopy/queue';
import { ChannelsService } from './channels.service';
import { ClusterAnswers } from './cluster-answers.service';
import { DeskService } from './desk.service';
import { ResponseDelivery } from './response-delivery.service';
import { SlaSweeper } from './sla-sweeper.service';
import { StaffNotifier } from './staff-notifier.service';

/** The desk as the API uses it: lists, the case page and actions. */
@Module({
  imports: [AuditModule, AuthModule, CasesModule, CryptoModule, RoutingModule, IntakeModule],
  providers: [DeskService, ChannelsService, ClusterAnswers],
  exports: [DeskService, ChannelsService, ClusterAnswers, AuthModule, RoutingModule],
})
export class DeskModule {}

/** The desk's background work, for the worker: staff notices, answer delivery, the SLA sweep. */
@Module({
  imports: [CasesModule, CryptoModule, MailerModule, QueueModule, RoutingModule],
  providers: [StaffNotifier, ResponseDelivery, SlaSweeper],
  exports: [StaffNotifier, ResponseDelivery, SlaSweeper, RoutingModule],
})
export class DeskWorkModule {}
