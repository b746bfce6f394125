export { MailboxImporter, RAW_CONTEXT, contentKey } from './mailbox-importer.service';
export type { MailboxHealth, PollResult } from './mailbox-importer.service';
export { MailboxModule } from './mailbox.module';
export { MalformedMailError, parseInbound } from './parse-inbound';
export type { InboundAttachment, ParsedInbound } from './parse-inbound';
