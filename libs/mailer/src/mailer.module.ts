import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailOutbox } from './mail-outbox.service';
import { MailTransport } from './mail-transport';
import { OutboundMailEntity } from './outbound-mail.entity';

@Module({
  imports: [TypeOrmModule.forFeature([OutboundMailEntity])],
  providers: [MailTransport, MailOutbox],
  exports: [MailOutbox],
})
export class MailerModule {}
