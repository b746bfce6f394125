import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { GopyConfig } from '@gopy/config';

export interface OutgoingMail {
  to: string;
  /** An address of ours to send from, under MAIL_FROM's display name; MAIL_FROM when absent. */
  from?: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  headers?: Record<string, string>;
  // Inline images, referred to from the HTML as cid:<cid>.
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  cid: string;
  contentType: string;
  content: Buffer;
}

/**
 * Sends through SMTP when SMTP_URL is set; otherwise writes each mail as an .eml file
 * under MAIL_DIR, so a demo without a mail server loses nothing.
 */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  private readonly logger = new Logger(MailTransport.name);
  private readonly transporter: Transporter;
  private readonly toFiles: boolean;

  constructor(private readonly config: GopyConfig) {
    this.toFiles = !config.mail.smtpUrl;
    this.transporter = config.mail.smtpUrl
      ? createTransport(config.mail.smtpUrl, { from: config.mail.from })
      : createTransport({ streamTransport: true, buffer: true, newline: 'unix' }, { from: config.mail.from });
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = (await this.transporter.sendMail({
      ...(mail.from ? { from: { name: displayName(this.config.mail.from), address: mail.from } } : {}),
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      messageId: mail.messageId,
      headers: mail.headers,
      attachments: mail.attachments?.map((a) => ({ ...a, contentDisposition: 'inline' as const })),
    })) as { message?: Buffer };
    if (this.toFiles && info.message) {
      await mkdir(this.config.mail.dir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId.replace(/[^\w.-]/g, '_')}.eml`;
      await writeFile(join(this.config.mail.dir, name), info.message);
      this.logger.log(`mail written to ${name} (no SMTP configured)`);
    }
  }

  onModuleDestroy(): void {
    this.transporter.close();
  }
}

/** The display name of an address like `"Hòm thư góp ý" <gopy@example.vn>` (empty when none). */
function displayName(address: string): string {
  const match = /^\s*"?([^"<]*?)"?\s*</.exec(address);
  return match ? match[1].trim() : '';
}
