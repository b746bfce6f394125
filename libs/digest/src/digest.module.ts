import { Module } from '@nestjs/common';
import { CasesModule } from '@gopy/cases';
import { MailerModule } from '@gopy/mailer';
import { QueueModule } from '@gopy/queue';
import { DigestMailer } from './digest-mailer.service';
import { DigestService } from './digest.service';

@Module({
  imports: [CasesModule, MailerModule, QueueModule],
  providers: [DigestService, DigestMailer],
  exports: [DigestService, DigestMailer],
})
export class DigestModule {}
