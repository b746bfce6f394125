import { Module } from '@nestjs/common';
import { CryptoModule } from '@gopy/crypto';
import { DatabaseModule } from '@gopy/database';
import { IntakeModule } from '@gopy/intake';
import { MailerModule } from '@gopy/mailer';
import { QueueModule, QueueWorkerModule } from '@gopy/queue';
import { CaseReceivedProcessor } from './intake/case-received.processor';
import { FollowUpReceivedProcessor } from './intake/follow-up-received.processor';
import { MailSendProcessor } from './mail/mail-send.processor';

/** The same libs as the API, without HTTP: the outbox relay and the job processors. */
@Module({
  imports: [DatabaseModule, CryptoModule, QueueModule, QueueWorkerModule, IntakeModule, MailerModule],
  providers: [CaseReceivedProcessor, FollowUpReceivedProcessor, MailSendProcessor],
})
export class WorkerModule {}
