import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { GopyConfig } from '@gopy/config';
import {
  CaseEntity,
  CaseEventEntity,
  Channel,
  followUpEffect,
  formatTrackingCode,
  generateTrackingCode,
  parseTrackingCode,
} from '@gopy/cases';
import { PersonalDataCipher } from '@gopy/crypto';
import { FieldIssues, FieldValidationError, GopyError } from '@gopy/errors';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Language } from '@gopy/i18n';
import { JobName, enqueueInOutbox } from '@gopy/queue';
import { ATTACHMENT_CONTEXT, AttachmentEntity } from './attachment.entity';
import type { CreateFollowUpDto } from './dto/create-follow-up.dto';
import { CreateSubmissionDto } from './dto/create-submission.dto';
import { toFieldIssues } from './dto/to-field-issues';
import { VALIDATOR_OPTIONS } from './dto/validate-dto';
import type { SubmissionReceiptDto } from './dto/submission-receipt.dto';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import type { IncomingFile } from './rules/attachment-rules';
import { normalizeVietnamesePhone } from './rules/contact-rules';
import { submitterKey } from './rules/submitter-key';
import { CONTACT_CONTEXT, SubmitterContact } from './submission.entity';
import { CheckedSubmission, SubmissionPolicy } from './submission-policy';

export interface SubmitRequest {
  channel: Channel;
  // When the opinion reached the organisation (a call's time, a letter's date); now by default.
  receivedAt?: Date;
  // Channel details that are not personal (call length, who logged a call or letter).
  meta?: Record<string, unknown>;
  // Who recorded it: the submitter themselves, or a member of staff (`staff:<id>`).
  actor?: string;
  language: Language;
  dto: CreateSubmissionDto;
  files: { filename: string; bytes: Buffer }[];
  // The API's Idempotency-Key, or the form's one-time token: one case per key.
  idempotency?: { key: string; requestHash: string };
  // What validate() already found (unit, sniffed files), so the policy does not run twice.
  checked?: CheckedSubmission;
}

export interface ValidatedSubmission {
  dto: CreateSubmissionDto;
  files: { filename: string; bytes: Buffer }[];
  checked: CheckedSubmission;
}

/** A new case carries its ids, so a caller inside the same transaction can link its own rows. */
export type SubmitResult =
  | { receipt: SubmissionReceiptDto; replayed: true }
  | { receipt: SubmissionReceiptDto; replayed: false; caseId: string; submissionId: string };

const TRACKING_CODE_ATTEMPTS = 3;

function base64Files(dto: CreateSubmissionDto): { filename: string; bytes: Buffer }[] {
  if (!Array.isArray(dto.attachments)) return [];
  return dto.attachments
    .filter((a) => typeof a?.contentBase64 === 'string')
    .map((a) => ({ filename: String(a.filename ?? ''), bytes: Buffer.from(a.contentBase64, 'base64') }));
}

/**
 * Turns an incoming opinion into a case: case, submission, attachments, first event and
 * outbox row are written in one transaction, committed before anyone is told the code.
 */
@Injectable()
export class IntakeService {
  private readonly logger = new Logger(IntakeService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: SubmissionPolicy,
    private readonly cipher: PersonalDataCipher,
    private readonly config: GopyConfig,
  ) {}

  /**
   * Validates a plain object with the DTO and the policy at once, so every problem is
   * reported in one round. Files come from the form, or else from the API's base64 list.
   */
  async validate(
    plain: unknown,
    formFiles?: { filename: string; bytes: Buffer }[],
    options: { postal?: boolean; extraIssues?: FieldIssues } = {},
  ): Promise<ValidatedSubmission> {
    const instance = plainToInstance(CreateSubmissionDto, typeof plain === 'object' && plain !== null ? plain : {});
    const files = formFiles ?? base64Files(instance);
    const dtoIssues = toFieldIssues(await validate(instance, VALIDATOR_OPTIONS));
    const { issues, ...checked } = await this.policy.review(instance, files, options);
    const merged: FieldIssues = { ...options.extraIssues, ...issues, ...dtoIssues };
    if (Object.keys(merged).length > 0) {
      const tooLarge = merged.attachments?.code === 'attachment_too_large';
      throw new FieldValidationError(merged, tooLarge ? 'payload_too_large' : 'validation_failed');
    }
    return { dto: instance, files, checked };
  }

  async submit(request: SubmitRequest): Promise<SubmitResult> {
    const checked = request.checked ?? (await this.policy.check(request.dto, request.files));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction((manager) => this.store(manager, request, checked));
      } catch (error) {
        // A tracking code collision (about 1 in 2^68) just draws another code.
        const collided = (error as { constraint?: string }).constraint === 'uq_cases_tracking_code';
        if (!collided || attempt >= TRACKING_CODE_ATTEMPTS) throw error;
        this.logger.warn('tracking code collision; drawing another');
      }
    }
  }

  /** The same as submit(), inside the caller's transaction (the mail importer's). */
  async submitIn(manager: EntityManager, request: SubmitRequest, checked: CheckedSubmission): Promise<SubmitResult> {
    return this.store(manager, request, checked);
  }

  /** Submissions' ids are known before they are stored, so a caller can link its own rows. */
  private async store(
    manager: EntityManager,
    request: SubmitRequest,
    checked: CheckedSubmission,
  ): Promise<SubmitResult> {
    const { dto, idempotency } = request;
    if (idempotency) {
      const replay = await this.claimIdempotencyKey(manager, idempotency);
      if (replay) return { receipt: replay, replayed: true };
    }
    const now = new Date();
    const receivedAt = request.receivedAt ?? now;
    const caseId = randomUUID();
    const submissionId = randomUUID();
    const trackingCode = generateTrackingCode();
    const contact: SubmitterContact = dto.anonymous
      ? {}
      : {
          name: dto.name,
          email: dto.email,
          phone: dto.phone ? normalizeVietnamesePhone(dto.phone) : undefined,
          address: dto.address,
        };
    const hasContact = Object.values(contact).some((v) => v !== undefined);
    const sealed = hasContact ? this.cipher.sealJson(contact, CONTACT_CONTEXT) : undefined;

    // Every submission takes this path: plain parameterised SQL, no entity round trip
    // (TypeORM's insert builder doubled the Node CPU per request; docs/benchmarks.md).
    await manager.query(
      `INSERT INTO cases (id, tracking_code, status, topic, unit_id, priority, channel, subject,
                          created_at, updated_at, last_activity_at)
       VALUES ($1, $2, 'received', $3, $4, 'normal', $5, $6, $7, $7, $7)`,
      [caseId, trackingCode, dto.topic, checked.unit?.id ?? null, request.channel, dto.subject, now],
    );
    await manager.query(
      `INSERT INTO submissions (id, case_id, kind, channel, language, subject, body, received_at, anonymous,
                                contact_ciphertext, contact_key_id, has_email, consent_at, attachment_count, channel_meta,
                                submitter_key)
       VALUES ($1, $2, 'initial', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        submissionId,
        caseId,
        request.channel,
        dto.language ?? request.language,
        dto.subject,
        dto.body,
        receivedAt,
        dto.anonymous,
        sealed?.ciphertext ?? null,
        sealed?.keyId ?? null,
        Boolean(contact.email),
        hasContact ? now : null,
        checked.files.length,
        request.meta ?? {},
        submitterKey(this.config.form.tokenSecret, contact),
      ],
    );
    await this.insertAttachments(manager, submissionId, checked.files);
    await manager.query(
      `INSERT INTO case_events (case_id, type, visibility, actor, data, occurred_at)
       VALUES ($1, 'received', 'public', $4, $2, $3)`,
      [
        caseId,
        { channel: request.channel, submissionId, attachments: checked.files.length },
        now,
        request.actor ?? 'submitter',
      ],
    );
    await enqueueInOutbox(manager, JobName.CaseReceived, { caseId, submissionId });

    const formatted = formatTrackingCode(trackingCode);
    const receipt: SubmissionReceiptDto = {
      trackingCode: formatted,
      status: 'received',
      receivedAt: now.toISOString(),
      trackingUrl: `${this.config.http.publicBaseUrl}/theo-doi/${formatted}`,
      receiptByEmail: Boolean(contact.email),
    };
    if (idempotency) {
      await manager.insert(IdempotencyKeyEntity, {
        key: idempotency.key,
        requestHash: idempotency.requestHash,
        responseStatus: 201,
        responseBody: { ...receipt },
        caseId,
      });
    }
    return { receipt, replayed: false, caseId, submissionId };
  }

  /**
   * Holds the key for this transaction. A concurrent holder means 409; a finished request
   * with the same body is replayed; the same key with another body is refused.
   */
  private async claimIdempotencyKey(
    manager: EntityManager,
    idempotency: { key: string; requestHash: string },
  ): Promise<SubmissionReceiptDto | undefined> {
    const [{ locked }] = await manager.query<{ locked: boolean }[]>(
      'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked',
      [idempotency.key],
    );
    if (!locked) throw new GopyError('idempotency_in_progress');
    const existing = await manager.findOne(IdempotencyKeyEntity, { where: { key: idempotency.key } });
    if (!existing) return undefined;
    if (existing.requestHash !== idempotency.requestHash) throw new GopyError('idempotency_mismatch');
    return existing.responseBody as unknown as SubmissionReceiptDto;
  }

  /** Adds a message to an existing case; answered or closed cases are reopened. */
  private async insertAttachments(manager: EntityManager, submissionId: string, files: IncomingFile[]): Promise<void> {
    if (files.length === 0) return;
    await manager.insert(
      AttachmentEntity,
      files.map((file) => {
        const content = this.cipher.sealBytes(file.bytes, ATTACHMENT_CONTEXT);
        return {
          id: randomUUID(),
          submissionId,
          filename: file.filename,
          contentType: file.sniffedType as string,
          sizeBytes: file.bytes.length,
          sha256: createHash('sha256').update(file.bytes).digest('hex'),
          contentCiphertext: content.ciphertext,
          contentKeyId: content.keyId,
        };
      }),
    );
  }

  /**
   * Adds a follow-up to a case inside the caller's transaction: stored, on the timeline,
   * the case reopened if it was answered or closed, the assignee told (outbox).
   */
  async followUpIn(
    manager: EntityManager,
    caseId: string,
    input: {
      body: string;
      channel: Channel;
      language: Language;
      subject?: string | null;
      files?: IncomingFile[];
      meta?: Record<string, unknown>;
      receivedAt?: Date;
    },
  ): Promise<{ submissionId: string; trackingCode: string }> {
    const found = await manager.findOne(CaseEntity, { where: { id: caseId }, lock: { mode: 'pessimistic_write' } });
    if (!found) throw new GopyError('case_not_found');
    const effect = followUpEffect(found.status);
    if (!effect.accepted) throw new GopyError('follow_up_refused');
    const now = new Date();
    const submissionId = randomUUID();
    const files = input.files ?? [];
    await manager.query(
      `INSERT INTO submissions (id, case_id, kind, channel, language, subject, body, received_at, anonymous,
                                has_email, attachment_count, channel_meta)
       VALUES ($1, $2, 'follow_up', $3, $4, $5, $6, $7, true, false, $8, $9)`,
      [
        submissionId,
        found.id,
        input.channel,
        input.language,
        input.subject ?? null,
        input.body,
        input.receivedAt ?? now,
        files.length,
        input.meta ?? {},
      ],
    );
    await this.insertAttachments(manager, submissionId, files);
    await manager.insert(CaseEventEntity, {
      caseId: found.id,
      type: 'follow_up_received',
      visibility: 'public',
      actor: 'submitter',
      data: { submissionId, channel: input.channel },
      occurredAt: now,
    });
    if (effect.reopened) {
      await manager.insert(CaseEventEntity, {
        caseId: found.id,
        type: 'reopened',
        visibility: 'public',
        actor: 'submitter',
        data: { from: found.status, to: effect.nextStatus },
        occurredAt: now,
      });
    }
    await manager.update(
      CaseEntity,
      { id: found.id },
      { status: effect.nextStatus, updatedAt: now, lastActivityAt: now },
    );
    await enqueueInOutbox(manager, JobName.FollowUpReceived, { caseId: found.id, submissionId });
    return { submissionId, trackingCode: formatTrackingCode(found.trackingCode) };
  }

  async followUp(
    trackingCodeInput: string,
    dto: CreateFollowUpDto,
    language: Language,
  ): Promise<{ trackingCode: string }> {
    const parsed = parseTrackingCode(trackingCodeInput);
    if (!parsed.ok) throw new GopyError('case_not_found');
    return this.dataSource.transaction(async (manager) => {
      const found = await manager.findOne(CaseEntity, { where: { trackingCode: parsed.code }, select: { id: true } });
      if (!found) throw new GopyError('case_not_found');
      const { trackingCode } = await this.followUpIn(manager, found.id, { body: dto.body, channel: 'web', language });
      return { trackingCode };
    });
  }
}
