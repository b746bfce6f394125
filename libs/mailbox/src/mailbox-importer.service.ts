import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ImapFlow } from 'imapflow';
import { DataSource, EntityManager } from 'typeorm';
import { GopyConfig, type MailboxConfig, loadMailboxes } from '@gopy/config';
import { TopicCatalog, parseTrackingCode } from '@gopy/cases';
import { PersonalDataCipher } from '@gopy/crypto';
import { UnitsService } from '@gopy/directory';
import { GopyError } from '@gopy/errors';
import { CreateSubmissionDto, IntakeService, SubmissionPolicy, recipientHash } from '@gopy/intake';
import { MailOutbox, renderMailTooLarge } from '@gopy/mailer';
import { JobName, QueueProducer } from '@gopy/queue';
import { MalformedMailError, type ParsedInbound, parseInbound } from './parse-inbound';
import { classifyHeaderBlock } from './rules/auto-reply';

export const RAW_CONTEXT = 'inbound_messages.raw';
const MAX_ATTEMPTS = 3;
const LEASE_SECONDS = 300;
const FINAL = ['imported', 'follow_up', 'duplicate', 'bounce', 'auto_reply'];
// A poll works in chunks: one lookup, one FETCH and one MOVE per folder for up to this many
// messages or bytes (docs/benchmarks.md, "Mail import benchmark").
const CHUNK_MESSAGES = 50;
const CHUNK_BYTES = 16 * 1024 * 1024;
// Messages stored side by side; a reply waits for the ones before it (see importFresh).
const IN_FLIGHT = 2;
// Two copies of one mail stored side by side: the second waits for the first to commit.
const COPY_LOCK_CLASS = 0x6d61696c;

export interface MailboxHealth {
  name: string;
  address: string;
  lastPollAt: Date | null;
  lastSuccessAt: Date | null;
  imported: number;
  quarantined: number;
  errors: number;
  lastError: string | null;
  /** The UIDVALIDITY seen last and the highest UID stored under it. */
  uidValidity: string | null;
  lastUid: number | null;
  /** Messages moved to Quarantine in the last seven days: UID, why, when. */
  recentQuarantine: { uid: number; reason: string; at: Date }[];
}

export interface PollResult {
  mailbox: string;
  skipped?: boolean;
  seen: number;
  imported: number;
  quarantined: number;
  failed: number;
}

interface InboundRow {
  id: string;
  uid: number;
  status: string;
  attempts: number;
}

interface Item {
  uid: number;
  size: number;
}

type Folder = 'processed' | 'quarantine';
type Handled = 'imported' | 'moved' | 'quarantined' | 'failed';
/** Stored messages waiting to leave the inbox, per target folder. */
type PendingMoves = Record<Folder, { id: string; uid: number }[]>;

type Outcome = {
  status: string;
  caseId?: string | null;
  submissionId?: string | null;
  duplicateOf?: string | null;
  folder: Folder;
};

/**
 * Imports one mailbox: every message in the inbox is looked up by mailbox + UIDVALIDITY +
 * UID (not the \Seen flag, which other clients change), stored with its case in one
 * transaction, and moved to the processed folder only after that commit; never deleted.
 * A message already stored is only moved again; a malformed one is tried three times, then
 * quarantined; an oversized one gets one polite reply and is quarantined. Copies of one mail
 * (two mailboxes, a UIDVALIDITY reset) are recognised by Message-ID and content and join
 * the case the first copy made.
 */
@Injectable()
export class MailboxImporter {
  private readonly logger = new Logger(MailboxImporter.name);
  readonly mailboxes: MailboxConfig[];
  private readonly owner = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: GopyConfig,
    private readonly intake: IntakeService,
    private readonly policy: SubmissionPolicy,
    private readonly cipher: PersonalDataCipher,
    private readonly units: UnitsService,
    private readonly mail: MailOutbox,
    private readonly producer: QueueProducer,
    topics: TopicCatalog,
  ) {
    this.mailboxes = loadMailboxes(
      config.mailboxes.file,
      config.mailboxes.env,
      topics.topics.map((t) => t.code),
    );
  }

  /** One poll of one mailbox, unless another worker holds its lease. */
  async poll(box: MailboxConfig): Promise<PollResult> {
    const result: PollResult = { mailbox: box.name, seen: 0, imported: 0, quarantined: 0, failed: 0 };
    if (!(await this.lease(box.name, 'take'))) return { ...result, skipped: true };
    const client = new ImapFlow({
      host: box.host,
      port: box.port,
      secure: box.secure,
      auth: { user: box.user, pass: box.password },
      logger: false,
      connectionTimeout: 15_000,
    });
    client.on('error', (error: Error) => this.logger.warn(`mailbox ${box.name}: ${error.message}`));
    let pollError: string | null = null;
    try {
      await client.connect();
      for (const folder of [box.folders.processed, box.folders.quarantine]) {
        await client.mailboxCreate(folder).catch(() => undefined);
      }
      const lock = await client.getMailboxLock(box.folders.inbox);
      try {
        const mailbox = client.mailbox;
        const uidValidity = mailbox ? String(mailbox.uidValidity) : '0';
        await this.dataSource.query(`UPDATE mailbox_state SET uid_validity = $2 WHERE name = $1`, [
          box.name,
          uidValidity,
        ]);
        const items: Item[] = [];
        if (mailbox && mailbox.exists > 0) {
          for await (const message of client.fetch('1:*', { uid: true, size: true })) {
            items.push({ uid: message.uid, size: message.size ?? 0 });
          }
        }
        for (const chunk of chunks(items, this.config.mailboxes.maxBytes)) {
          // A long poll keeps its mailbox: another worker may take it only if this one died.
          if (!(await this.lease(box.name, 'renew'))) throw new Error('the lease passed to another worker');
          await this.importChunk(client, box, uidValidity, chunk, result);
        }
      } finally {
        lock.release();
      }
    } catch (error) {
      result.failed++;
      pollError = (error as Error).message.slice(0, 500);
      this.logger.warn(`mailbox ${box.name}: poll failed: ${pollError}`);
    } finally {
      await client.logout().catch(() => client.close());
    }
    await this.dataSource.query(
      `UPDATE mailbox_state SET last_poll_at = now(), imported = imported + $2, quarantined = quarantined + $3,
              errors = errors + $4,
              last_success_at = CASE WHEN $5::text IS NULL THEN now() ELSE last_success_at END,
              last_error = CASE WHEN $5::text IS NOT NULL THEN $5 WHEN $4 > 0 THEN last_error END,
              lease_until = CASE WHEN lease_owner = $6 THEN NULL ELSE lease_until END
        WHERE name = $1`,
      [box.name, result.imported, result.quarantined, result.failed, pollError, this.owner],
    );
    return result;
  }

  /** Takes the mailbox's lease if it is free or expired, or renews the one this worker holds. */
  private async lease(name: string, mode: 'take' | 'renew'): Promise<boolean> {
    if (mode === 'take')
      await this.dataSource.query(`INSERT INTO mailbox_state (name) VALUES ($1) ON CONFLICT DO NOTHING`, [name]);
    const [rows] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE mailbox_state SET lease_owner = $2, lease_until = now() + make_interval(secs => $3)
        WHERE name = $1 AND (lease_owner = $2 OR ($4 AND (lease_until IS NULL OR lease_until < now())))
        RETURNING name`,
      [name, this.owner, LEASE_SECONDS, mode === 'take'],
    );
    return rows.length > 0;
  }

  /**
   * One chunk of the inbox: one lookup of what is already stored, one FETCH of the new
   * messages' sources, each new message stored in its own transaction, then one MOVE per
   * folder of everything stored. A crash before that MOVE leaves stored messages in the
   * inbox; the next poll finds them stored and only moves them.
   */
  private async importChunk(
    client: ImapFlow,
    box: MailboxConfig,
    uidValidity: string,
    chunk: Item[],
    result: PollResult,
  ): Promise<void> {
    const count = (outcome: Handled) => {
      result.seen++;
      if (outcome === 'imported') result.imported++;
      if (outcome === 'quarantined') result.quarantined++;
      if (outcome === 'failed') result.failed++;
    };
    const rows = await this.dataSource.query<InboundRow[]>(
      `SELECT id, uid, status, attempts FROM inbound_messages WHERE mailbox = $1 AND uid_validity = $2 AND uid = ANY ($3)`,
      [box.name, uidValidity, chunk.map((item) => item.uid)],
    );
    const known = new Map(rows.map((row) => [Number(row.uid), row]));
    const moves: PendingMoves = { processed: [], quarantine: [] };
    const fresh: Item[] = [];
    for (const item of chunk) {
      const row = known.get(item.uid);
      // Stored before (a crash came between the commit and the move): only move it.
      if (row && FINAL.includes(row.status)) {
        moves.processed.push({ id: row.id, uid: item.uid });
        count('moved');
      } else if (row?.status === 'quarantined') {
        moves.quarantine.push({ id: row.id, uid: item.uid });
        count('quarantined');
      } else if (item.size > this.config.mailboxes.maxBytes) {
        count(await this.quarantineOversized(client, box, uidValidity, item, moves).catch(this.failed(box, item)));
      } else fresh.push(item);
    }
    const sources = new Map<number, Buffer>();
    if (fresh.length > 0)
      for await (const message of client.fetch(
        fresh.map((item) => item.uid).join(','),
        { uid: true, source: true },
        { uid: true },
      ))
        if (message.source) sources.set(message.uid, message.source);
    await this.importFresh(box, uidValidity, fresh, sources, known, moves, count);
    await this.move(client, box, moves);
  }

  /**
   * New messages, parsed in order and stored IN_FLIGHT at a time: one is parsed while the one
   * before it is being written. A message that answers another (In-Reply-To, References, a
   * tracking code) is stored only after every message before it, so a reply whose original
   * arrived in the same chunk finds the original's case.
   */
  private async importFresh(
    box: MailboxConfig,
    uidValidity: string,
    fresh: Item[],
    sources: Map<number, Buffer>,
    known: Map<number, InboundRow>,
    moves: PendingMoves,
    count: (outcome: Handled) => void,
  ): Promise<void> {
    const running = new Set<Promise<void>>();
    const launch = (task: () => Promise<Handled>, item: Item) => {
      const done: Promise<void> = task()
        .catch(this.failed(box, item))
        .then(count)
        .finally(() => running.delete(done));
      running.add(done);
    };
    for (const item of fresh) {
      const raw = sources.get(item.uid);
      const parsed = raw ? await this.parse(raw) : 'the server returned no source';
      if (typeof parsed === 'string') {
        launch(() => this.recordFailure(box, uidValidity, item, known.get(item.uid), parsed, moves), item);
        continue;
      }
      const answers = parsed.threading.messageIds.length > 0 || parsed.threading.trackingCode;
      if (answers) await Promise.all(running);
      while (running.size >= IN_FLIGHT) await Promise.race(running);
      launch(async () => {
        try {
          const stored = await this.dataSource.transaction((manager) =>
            this.store(manager, box, uidValidity, item, raw as Buffer, parsed),
          );
          moves[stored.outcome.folder].push({ id: stored.rowId, uid: item.uid });
          return stored.outcome.folder === 'quarantine' ? 'quarantined' : 'imported';
        } catch (error) {
          // Rolled back: the attempt is counted outside the transaction, so a mail that can
          // never be stored is quarantined at its third try instead of fetched forever.
          this.failed(box, item)(error);
          const why = `could not be stored: ${(error as Error).message}`;
          return this.recordFailure(box, uidValidity, item, known.get(item.uid), why, moves);
        }
      }, item);
    }
    await Promise.all(running);
  }

  private failed(box: MailboxConfig, item: Item): (error: unknown) => 'failed' {
    return (error) => {
      this.logger.warn(`mailbox ${box.name} uid ${item.uid}: ${(error as Error).message}`);
      return 'failed';
    };
  }

  /** The parsed message, or why it could not be parsed. */
  private async parse(raw: Buffer): Promise<ParsedInbound | string> {
    try {
      return await parseInbound(raw, {
        maxBytes: this.config.mailboxes.maxBytes,
        maxFiles: this.config.attachments.maxFiles,
        attachmentMaxBytes: this.config.attachments.maxBytes,
      });
    } catch (error) {
      if (!(error instanceof MalformedMailError)) throw error;
      return error.message;
    }
  }

  /** A message that could not be read: tried again next poll, quarantined at the third try. */
  private async recordFailure(
    box: MailboxConfig,
    uidValidity: string,
    item: Item,
    known: InboundRow | undefined,
    failure: string,
    moves: PendingMoves,
  ): Promise<Handled> {
    const attempts = (known?.attempts ?? 0) + 1;
    const status = attempts >= MAX_ATTEMPTS ? 'quarantined' : 'failed';
    const [row] = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO inbound_messages (mailbox, uid_validity, uid, status, attempts, last_error, size_bytes)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ON CONSTRAINT uq_inbound_messages_uid
       DO UPDATE SET status = EXCLUDED.status, attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error,
                     updated_at = now()
       RETURNING id`,
      [box.name, uidValidity, item.uid, status, attempts, failure.slice(0, 500), item.size],
    );
    if (status === 'failed') return 'failed';
    this.logger.error(`mailbox ${box.name}: uid ${item.uid} quarantined after ${attempts} failed imports`);
    moves.quarantine.push({ id: row.id, uid: item.uid });
    return 'quarantined';
  }

  /** Everything about one message in one transaction: its row, raw source sealed, and its case. */
  private async store(
    manager: EntityManager,
    box: MailboxConfig,
    uidValidity: string,
    item: Item,
    raw: Buffer,
    parsed: ParsedInbound,
  ): Promise<{ rowId: string; outcome: Outcome }> {
    const sealed = this.cipher.sealBytes(raw, RAW_CONTEXT);
    const hash = contentKey(parsed);
    await manager.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [COPY_LOCK_CLASS, hash]);
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO inbound_messages (mailbox, uid_validity, uid, message_id, content_hash, size_bytes, status,
                                     attempts, raw_ciphertext, raw_key_id)
       VALUES ($1, $2, $3, $4, $5, $6, 'failed', 1, $7, $8)
       ON CONFLICT ON CONSTRAINT uq_inbound_messages_uid
       DO UPDATE SET message_id = EXCLUDED.message_id, content_hash = EXCLUDED.content_hash,
                     raw_ciphertext = EXCLUDED.raw_ciphertext, raw_key_id = EXCLUDED.raw_key_id, updated_at = now()
       RETURNING id`,
      [box.name, uidValidity, item.uid, parsed.messageId, hash, raw.length, sealed.ciphertext, sealed.keyId],
    );
    const outcome = await this.decide(manager, box, parsed, row.id, hash);
    await manager.query(
      `UPDATE inbound_messages SET status = $2, case_id = $3, submission_id = $4, duplicate_of = $5, last_error = NULL,
              updated_at = now()
        WHERE id = $1`,
      [row.id, outcome.status, outcome.caseId ?? null, outcome.submissionId ?? null, outcome.duplicateOf ?? null],
    );
    return { rowId: row.id, outcome };
  }

  private async decide(
    manager: EntityManager,
    box: MailboxConfig,
    parsed: ParsedInbound,
    rowId: string,
    hash: string,
  ): Promise<Outcome> {
    // The same mail seen before (another mailbox, or again after a UIDVALIDITY reset).
    const [copy] = await manager.query<{ id: string; case_id: string | null }[]>(
      `SELECT id, case_id FROM inbound_messages
        WHERE content_hash = $1 AND message_id IS NOT DISTINCT FROM $2 AND id <> $3
          AND status IN ('imported','follow_up','auto_reply','bounce','duplicate')
        ORDER BY created_at LIMIT 1`,
      [hash, parsed.messageId, rowId],
    );
    if (copy) {
      if (copy.case_id)
        await manager.query(
          `INSERT INTO case_events (case_id, type, visibility, actor, data) VALUES ($1, 'mail_copy', 'internal', 'mail', $2)`,
          [copy.case_id, { mailbox: box.name }],
        );
      return { status: 'duplicate', caseId: copy.case_id, duplicateOf: copy.id, folder: 'processed' };
    }

    if (parsed.classification.kind === 'bounce') {
      if (parsed.bouncedMessageIds.length > 0)
        await manager.query(
          `UPDATE outbound_mails SET status = 'failed', last_error = 'bounced by the recipient''s server'
            WHERE message_id = ANY ($1)`,
          [parsed.bouncedMessageIds],
        );
      return { status: 'bounce', folder: 'processed' };
    }

    const threaded = await this.threadCase(manager, parsed);
    const automatic = parsed.classification.suppressReceipt;
    if (threaded) {
      // An out-of-office answer to our mail is not the submitter speaking.
      if (automatic) return { status: 'auto_reply', caseId: threaded, folder: 'processed' };
      const files = await this.policy.acceptableFiles(
        parsed.attachments.map((a) => ({ filename: a.filename, bytes: a.content })),
      );
      try {
        const { submissionId } = await this.intake.followUpIn(manager, threaded, {
          body: parsed.text || '—',
          channel: 'email',
          language: 'vi',
          subject: parsed.subject || null,
          files: files.accepted,
          meta: { mailbox: box.name, messageId: parsed.messageId },
          receivedAt: parsed.date ?? undefined,
        });
        await this.noteRefused(manager, threaded, files.refused, parsed);
        return { status: 'follow_up', caseId: threaded, submissionId, folder: 'processed' };
      } catch (error) {
        if (!(error instanceof GopyError && error.code === 'follow_up_refused')) throw error;
        // The case was closed as spam or refused: the mail becomes a case of its own.
      }
    }

    const files = await this.policy.acceptableFiles(
      parsed.attachments.map((a) => ({ filename: a.filename, bytes: a.content })),
    );
    const unit = box.unitCode ? await this.units.findActiveByCode(box.unitCode) : undefined;
    const from = parsed.from;
    const dto = Object.assign(new CreateSubmissionDto(), {
      topic: box.topic,
      unitCode: unit?.code,
      subject: (parsed.subject || 'Thư không có tiêu đề').slice(0, 200),
      body: parsed.text || '(Thư không có nội dung văn bản; xem tệp đính kèm.)',
      // Writing to us is asking for an answer at that address.
      ...(from
        ? { anonymous: false, name: from.name || undefined, email: from.address, consent: true }
        : { anonymous: true }),
    });
    const created = await this.intake.submitIn(
      manager,
      {
        channel: 'email',
        language: 'vi',
        dto,
        files: [],
        receivedAt: parsed.date && parsed.date.getTime() < Date.now() ? parsed.date : undefined,
        meta: {
          mailbox: box.name,
          mailboxAddress: box.address,
          messageId: parsed.messageId,
          suppressReceipt: automatic,
        },
      },
      { unit, files: files.accepted },
    );
    // No idempotency key is given, so this is never a replay.
    if (created.replayed) throw new Error('a mail import was taken for a replayed submission');
    await this.noteRefused(manager, created.caseId, files.refused, parsed);
    return { status: 'imported', caseId: created.caseId, submissionId: created.submissionId, folder: 'processed' };
  }

  /** The case a reply belongs to: our own Message-IDs it answers, else a tracking code in the subject. */
  private async threadCase(manager: EntityManager, parsed: ParsedInbound): Promise<string | undefined> {
    const ids = parsed.threading.messageIds;
    if (ids.length > 0) {
      const [ours] = await manager.query<{ case_id: string }[]>(
        `SELECT case_id FROM outbound_mails WHERE message_id = ANY ($1) AND case_id IS NOT NULL
         UNION ALL
         SELECT case_id FROM inbound_messages WHERE message_id = ANY ($1) AND case_id IS NOT NULL
         LIMIT 1`,
        [ids],
      );
      if (ours) return ours.case_id;
    }
    const code = parsed.threading.trackingCode ? parseTrackingCode(parsed.threading.trackingCode) : undefined;
    if (code?.ok) {
      const [found] = await manager.query<{ id: string }[]>(`SELECT id FROM cases WHERE tracking_code = $1`, [
        code.code,
      ]);
      return found?.id;
    }
    return undefined;
  }

  private async noteRefused(
    manager: EntityManager,
    caseId: string,
    refused: { filename: string; reason: string }[],
    parsed: ParsedInbound,
  ): Promise<void> {
    const skipped = [...refused, ...parsed.skippedAttachments.map((s) => ({ filename: s.filename, reason: s.reason }))];
    if (skipped.length === 0) return;
    await manager.query(
      `INSERT INTO case_events (case_id, type, visibility, actor, data) VALUES ($1, 'attachments_refused', 'internal', 'mail', $2)`,
      [caseId, { files: skipped }],
    );
  }

  /** Too large to import: one polite reply (at most one a day per sender), then quarantine. */
  private async quarantineOversized(
    client: ImapFlow,
    box: MailboxConfig,
    uidValidity: string,
    item: Item,
    moves: PendingMoves,
  ): Promise<'quarantined'> {
    const envelope = await client.fetchOne(String(item.uid), { envelope: true, headers: true }, { uid: true });
    // A robot's oversized mail (a bounce, an out-of-office with a big attachment) gets no reply.
    const personal =
      envelope && envelope.headers ? !classifyHeaderBlock(envelope.headers.toString('latin1')).suppressReceipt : false;
    const sender = personal && envelope ? envelope.envelope?.from?.[0]?.address?.toLowerCase() : undefined;
    const [row] = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO inbound_messages (mailbox, uid_validity, uid, status, size_bytes, last_error, message_id)
       VALUES ($1, $2, $3, 'quarantined', $4, 'larger than MAIL_MAX_BYTES', $5)
       ON CONFLICT ON CONSTRAINT uq_inbound_messages_uid DO UPDATE SET status = 'quarantined', updated_at = now()
       RETURNING id`,
      [box.name, uidValidity, item.uid, item.size, envelope ? (envelope.envelope?.messageId ?? null) : null],
    );
    if (sender) {
      const toHash = recipientHash(this.config.form.tokenSecret, sender);
      const [recent] = await this.dataSource.query<unknown[]>(
        `SELECT 1 FROM outbound_mails WHERE to_hash = $1 AND kind = 'mail_too_large' AND created_at > now() - interval '1 day'`,
        [toHash],
      );
      if (!recent) {
        const mailId = await this.mail.prepare({
          kind: 'mail_too_large',
          refId: row.id,
          to: sender,
          from: box.address,
          toHash,
          headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All', 'Reply-To': box.address },
          rendered: renderMailTooLarge({ language: 'vi', maxBytes: this.config.mailboxes.maxBytes }),
        });
        await this.producer.addBulk([{ job: JobName.MailSend, payload: { mailId }, jobId: `mail-${mailId}` }]);
      }
    }
    moves.quarantine.push({ id: row.id, uid: item.uid });
    return 'quarantined';
  }

  /** One MOVE per folder for the chunk's stored messages, then their rows marked moved. */
  private async move(client: ImapFlow, box: MailboxConfig, moves: PendingMoves): Promise<void> {
    for (const folder of ['processed', 'quarantine'] as const) {
      const batch = moves[folder];
      if (batch.length === 0) continue;
      const target = folder === 'processed' ? box.folders.processed : box.folders.quarantine;
      await client.messageMove(batch.map((m) => m.uid).join(','), target, { uid: true });
      await this.dataSource.query(`UPDATE inbound_messages SET moved_at = now() WHERE id = ANY ($1)`, [
        batch.map((m) => m.id),
      ]);
      batch.length = 0;
    }
  }

  /** Health for the admin page: one row per configured mailbox, with its recent quarantine. */
  async health(): Promise<MailboxHealth[]> {
    const names = this.mailboxes.map((m) => m.name);
    const rows = await this.dataSource.query<
      {
        name: string;
        last_poll_at: Date | null;
        last_success_at: Date | null;
        imported: number;
        quarantined: number;
        errors: number;
        last_error: string | null;
        uid_validity: string | null;
        last_uid: string | null;
      }[]
    >(
      `SELECT m.*, (SELECT max(i.uid) FROM inbound_messages i
                     WHERE i.mailbox = m.name AND i.uid_validity = m.uid_validity) AS last_uid
         FROM mailbox_state m WHERE m.name = ANY ($1)`,
      [names],
    );
    // The alert: what went to Quarantine in the last week, newest first (no sender, no content).
    const held = await this.dataSource.query<{ mailbox: string; uid: string; reason: string | null; at: Date }[]>(
      `SELECT mailbox, uid, last_error AS reason, updated_at AS at FROM inbound_messages
        WHERE mailbox = ANY ($1) AND status = 'quarantined' AND updated_at > now() - interval '7 days'
        ORDER BY updated_at DESC LIMIT 50`,
      [names],
    );
    return this.mailboxes.map((box) => {
      const row = rows.find((r) => r.name === box.name);
      return {
        name: box.name,
        address: box.address,
        lastPollAt: row?.last_poll_at ?? null,
        lastSuccessAt: row?.last_success_at ?? null,
        imported: row?.imported ?? 0,
        quarantined: row?.quarantined ?? 0,
        errors: row?.errors ?? 0,
        lastError: row?.last_error ?? null,
        uidValidity: row?.uid_validity ?? null,
        lastUid: row?.last_uid ? Number(row.last_uid) : null,
        recentQuarantine: held
          .filter((h) => h.mailbox === box.name)
          .map((h) => ({ uid: Number(h.uid), reason: h.reason ?? '', at: h.at })),
      };
    });
  }
}

/**
 * What makes two copies of one mail the same: who, when, what, and the attachments' bytes;
 * not the transport headers, which differ from one mailbox to another.
 */
export function contentKey(parsed: ParsedInbound): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify([
      parsed.messageId,
      parsed.from?.address ?? '',
      parsed.subject,
      parsed.date?.toISOString() ?? '',
      parsed.text,
    ]),
  );
  for (const attachment of parsed.attachments) hash.update(createHash('sha256').update(attachment.content).digest());
  return hash.digest('hex');
}

/** The inbox in chunks of at most CHUNK_MESSAGES messages and CHUNK_BYTES to fetch. */
function* chunks(items: readonly Item[], maxBytes: number): Generator<Item[]> {
  let chunk: Item[] = [];
  let bytes = 0;
  for (const item of items) {
    // An oversized message is never fetched whole; it only takes a place in the chunk.
    const size = item.size > maxBytes ? 0 : item.size;
    if (chunk.length > 0 && (chunk.length >= CHUNK_MESSAGES || bytes + size > CHUNK_BYTES)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(item);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
