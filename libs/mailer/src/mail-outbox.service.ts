import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { GopyConfig } from '@gopy/config';
import { PersonalDataCipher } from '@gopy/crypto';
import { type MailAttachment, MailTransport } from './mail-transport';
import { OutboundMailEntity, RECIPIENT_CONTEXT } from './outbound-mail.entity';
import type { RenderedMail } from './templates/rendered-mail';

export interface MailToPrepare {
  kind: string;
  refId: string;
  caseId?: string;
  to: string;
  rendered: RenderedMail;
  headers?: Record<string, string>;
  // The mailbox a mail answers for (replies come back to it); otherwise MAIL_FROM.
  from?: string;
  // A keyed hash of the recipient, for per-address limits (the address itself is sealed).
  toHash?: string;
  attachments?: MailAttachment[];
}

export type SendOutcome = 'sent' | 'already-sent';

/**
 * Mail in two steps: `prepare` renders once and stores (idempotent per kind and subject
 * of the mail), `send` delivers a stored mail with its fixed Message-ID, so a retry
 * never re-renders and a receiving server can spot a duplicate.
 */
@Injectable()
export class MailOutbox {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher,
    private readonly transport: MailTransport,
    private readonly config: GopyConfig,
  ) {}

  async prepare(mail: MailToPrepare, manager: EntityManager = this.dataSource.manager): Promise<string> {
    const id = randomUUID();
    const to = this.cipher.sealJson({ to: mail.to, headers: mail.headers ?? {}, from: mail.from }, RECIPIENT_CONTEXT);
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(OutboundMailEntity)
      .values({
        id,
        kind: mail.kind,
        refId: mail.refId,
        caseId: mail.caseId ?? null,
        toCiphertext: to.ciphertext,
        toKeyId: to.keyId,
        subject: mail.rendered.subject,
        html: mail.rendered.html,
        text: mail.rendered.text,
        messageId: `<${mail.kind}.${id}@${this.config.mail.messageIdDomain}>`,
        toHash: mail.toHash ?? null,
        attachments: mail.attachments
          ? mail.attachments.map((a) => ({ ...a, content: a.content.toString('base64') }))
          : null,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    if ((inserted.raw as unknown[]).length > 0) return id;
    const existing = await manager
      .getRepository(OutboundMailEntity)
      .findOneOrFail({ where: { kind: mail.kind, refId: mail.refId }, select: { id: true } });
    return existing.id;
  }

  async send(mailId: string): Promise<SendOutcome> {
    const repository = this.dataSource.getRepository(OutboundMailEntity);
    const mail = await repository.findOneOrFail({ where: { id: mailId } });
    if (mail.status === 'sent') return 'already-sent';
    const { to, headers, from } = this.cipher.openJson<{ to: string; headers: Record<string, string>; from?: string }>(
      { keyId: mail.toKeyId, ciphertext: mail.toCiphertext },
      RECIPIENT_CONTEXT,
    );
    try {
      await this.transport.send({
        to,
        from,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        messageId: mail.messageId,
        headers,
        attachments: mail.attachments?.map((a) => ({ ...a, content: Buffer.from(a.content, 'base64') })),
      });
    } catch (error) {
      await repository.increment({ id: mailId }, 'attempts', 1);
      await repository.update({ id: mailId }, { lastError: (error as Error).message.slice(0, 500) });
      throw error;
    }
    await repository.update(
      { id: mailId },
      { status: 'sent', sentAt: new Date(), attempts: mail.attempts + 1, lastError: null },
    );
    return 'sent';
  }

  /** Called when retries are exhausted: the failure is visible, not silent. */
  async markFailed(mailId: string): Promise<void> {
    await this.dataSource
      .getRepository(OutboundMailEntity)
      .update({ id: mailId, status: 'queued' }, { status: 'failed' });
  }
}
