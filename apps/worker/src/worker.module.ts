import { Module } from '@nestjs/common';
import { CryptoModule } from '@gopy/crypto';
import { DatabaseModule } from '@gopy/database';
import { DeskWorkModule } from '@gopy/desk';
import { DigestModule } from '@gopy/digest';
import { MailboxModule } from '@gopy/mailbox';
import { IntakeModule } from '@gopy/intake';
import { MailerModule } from '@gopy/mailer';
import { QueueModule, QueueWorkerModule } from '@gopy/queue';
import { CaseReceivedProcessor } from './intake/case-received.processor';
import { FollowUpReceivedProcessor } from './intake/follow-up-received.processor';
import { MailSendProcessor } from './mail/mail-send.processor';
import { MailboxPoller } from './mailbox/mailbox-poller';
import { DigestProcessor } from './desk/digest.processor';
import {
  CaseAssignedProcessor,
  CaseRouteProcessor,
  ResponseDeliverProcessor,
  SlaSweepProcessor,
} from './desk/desk.processors';

/** The same libs as the API, without HTTP: the outbox relay and the job processors. */
@Module({
  imports: [
    DatabaseModule,
    CryptoModule,
    QueueModule,
    QueueWorkerModule,
    IntakeModule,
    MailerModule,
    DeskWorkModule,
    MailboxModule,
    DigestModule,
  ],
  providers: [
    CaseReceivedProcessor,
    FollowUpReceivedProcessor,
    MailSendProcessor,
    CaseRouteProcessor,
    CaseAssignedProcessor,
    ResponseDeliverProcessor,
    SlaSweepProcessor,
    MailboxPoller,
    DigestProcessor,
  ],
})
export class WorkerModule {}
