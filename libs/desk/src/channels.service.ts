import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { StaffPrincipal } from '@gopy/auth';
import { type FieldIssues, FieldValidationError } from '@gopy/errors';
import { IntakeService } from '@gopy/intake';
import {
  durationIssues,
  parseVietnamDate,
  parseVietnamDateTime,
  receivedAtIssues,
  subjectFrom,
} from './rules/channel-input';

type Form = Record<string, string | undefined>;

export interface LoggedCase {
  caseId: string;
  trackingCode: string;
}

const text = (value: string | undefined) => (value ?? '').normalize('NFC').trim();

/**
 * Intake's field names and messages, said the way the desk form says them: the summary of a
 * call is intake's `body`; a subject left empty is made from it, so it is never "missing"
 * on its own; and there is no anonymous choice on these forms to point to.
 */
async function asDeskForm<T>(
  work: () => Promise<T>,
  renames: Record<string, string>,
  subjectGiven: boolean,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof FieldValidationError)) throw error;
    const fields: FieldIssues = {};
    for (const [field, issue] of Object.entries(error.fields)) {
      if (field === 'subject' && !subjectGiven && issue.code === 'required') continue;
      const code = issue.code === 'consent_required' ? 'consent_required_desk' : issue.code;
      fields[renames[field] ?? field] = { ...issue, code };
    }
    throw new FieldValidationError(fields, error.code);
  }
}

/**
 * Opinions that reach the organisation by phone or post, logged by an operator through the
 * same intake as the web form: the same checks, one transaction, the same routing. The
 * operator's unit is the default; the caller's number and the sender's address are sealed
 * like any contact detail.
 */
@Injectable()
export class ChannelsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly intake: IntakeService,
  ) {}

  private async unitCodeOf(principal: StaffPrincipal): Promise<string | undefined> {
    if (!principal.unitId) return undefined;
    const [unit] = await this.dataSource.query<{ code: string }[]>(`SELECT code FROM units WHERE id = $1`, [
      principal.unitId,
    ]);
    return unit?.code;
  }

  async defaultUnitCode(principal: StaffPrincipal): Promise<string> {
    return (await this.unitCodeOf(principal)) ?? '';
  }

  async logCall(principal: StaffPrincipal, form: Form): Promise<LoggedCase> {
    const now = new Date();
    const calledAt = parseVietnamDateTime(form.calledAt);
    const duration = durationIssues(form.durationMinutes);
    const phone = text(form.phone);
    const name = text(form.name);
    const summary = text(form.summary);
    const extraIssues: FieldIssues = { ...receivedAtIssues('calledAt', calledAt, now), ...duration.issues };
    const anonymous = !phone && !name;
    const validated = await asDeskForm(
      () =>
        this.intake.validate(
          {
            topic: form.topic ?? '',
            unitCode: text(form.unitCode) || undefined,
            subject: text(form.subject) || subjectFrom(summary),
            body: summary,
            anonymous,
            ...(anonymous ? {} : { name: name || undefined, phone: phone || undefined, consent: form.consent === '1' }),
          },
          [],
          { extraIssues },
        ),
      { body: 'summary' },
      Boolean(text(form.subject)),
    );
    const { receipt } = await this.intake.submit({
      channel: 'phone',
      language: 'vi',
      dto: validated.dto,
      files: validated.files,
      checked: validated.checked,
      receivedAt: calledAt,
      meta: { durationMinutes: duration.minutes ?? null, loggedBy: principal.id },
      actor: `staff:${principal.id}`,
    });
    return this.logged(receipt.trackingCode);
  }

  async logLetter(
    principal: StaffPrincipal,
    form: Form,
    scans: { filename: string; bytes: Buffer }[],
  ): Promise<LoggedCase> {
    const now = new Date();
    const receivedOn = parseVietnamDate(form.receivedOn);
    const name = text(form.name);
    const address = text(form.address);
    const anonymous = !name && !address;
    const validated = await asDeskForm(
      () =>
        this.intake.validate(
          {
            topic: form.topic ?? '',
            unitCode: text(form.unitCode) || undefined,
            subject: text(form.subject) || subjectFrom(text(form.body)),
            body: text(form.body),
            anonymous,
            ...(anonymous
              ? {}
              : { name: name || undefined, address: address || undefined, consent: form.consent === '1' }),
          },
          scans,
          { postal: true, extraIssues: receivedAtIssues('receivedOn', receivedOn, now) },
        ),
      {},
      Boolean(text(form.subject)),
    );
    const { receipt } = await this.intake.submit({
      channel: 'letter',
      language: 'vi',
      dto: validated.dto,
      files: validated.files,
      checked: validated.checked,
      receivedAt: receivedOn,
      meta: { loggedBy: principal.id, scans: scans.length },
      actor: `staff:${principal.id}`,
    });
    return this.logged(receipt.trackingCode);
  }

  private async logged(trackingCode: string): Promise<LoggedCase> {
    const [row] = await this.dataSource.query<{ id: string }[]>(`SELECT id FROM cases WHERE tracking_code = $1`, [
      trackingCode.replace(/-/g, ''),
    ]);
    return { caseId: row.id, trackingCode };
  }
}
