import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CasesModule } from '@gopy/cases';
import { DirectoryModule } from '@gopy/directory';
import { MailerModule } from '@gopy/mailer';
import { QueueModule } from '@gopy/queue';
import { AttachmentEntity } from './attachment.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { IntakeService } from './intake.service';
import { ReceiptService } from './receipt.service';
import { SubmissionEntity } from './submission.entity';
import { SubmissionPolicy } from './submission-policy';

@Module({
  imports: [
    TypeOrmModule.forFeature([SubmissionEntity, AttachmentEntity, IdempotencyKeyEntity]),
    CasesModule,
    DirectoryModule,
    MailerModule,
    QueueModule,
  ],
  providers: [IntakeService, SubmissionPolicy, ReceiptService],
  exports: [IntakeService, ReceiptService, SubmissionPolicy],
})
export class IntakeModule {}
