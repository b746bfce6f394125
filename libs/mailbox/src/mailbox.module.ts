import { Module } from '@nestjs/common';
import { CasesModule } from '@gopy/cases';
import { CryptoModule } from '@gopy/crypto';
import { DirectoryModule } from '@gopy/directory';
import { IntakeModule } from '@gopy/intake';
import { MailerModule } from '@gopy/mailer';
import { QueueModule } from '@gopy/queue';
import { MailboxImporter } from './mailbox-importer.service';

@Module({
  imports: [CasesModule, CryptoModule, DirectoryModule, IntakeModule, MailerModule, QueueModule],
  providers: [MailboxImporter],
  exports: [MailboxImporter],
})
export class MailboxModule {}
