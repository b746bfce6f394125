import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StaffPrincipal } from '@gopy/auth';
import { GopyConfig } from '@gopy/config';
import { TopicCatalog, formatTrackingCode } from '@gopy/cases';
import { ChannelsService, DeskService, vietnamDateTimeValue } from '@gopy/desk';
import { UnitsService } from '@gopy/directory';
import { FieldValidationError, GopyError } from '@gopy/errors';
import { type Language } from '@gopy/i18n';
import { fieldMessages } from '../http/field-messages';
import { Lang } from '../http/language';
import { Roles } from '../http/public.decorator';
import { Staff } from '../http/staff-access';
import { readMultipartForm } from '../intake/multipart-form';
import { renderDeskCase } from '../views/desk-case.view';
import { renderCallForm, renderLetterForm, renderLogged, renderPrintableLetter } from '../views/desk-intake.view';

const HTML = 'text/html; charset=utf-8';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
type FormBody = Record<string, unknown>;

function strings(body: FormBody): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string' && key !== '_csrf') out[key] = value;
  return out;
}

/**
 * Opinions that arrive by phone or post, logged by operators; callbacks and reply letters.
 * Bad input re-renders the form with every problem beside its field and stores nothing.
 */
@Controller('ban-lam-viec')
export class DeskChannelsController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly desk: DeskService,
    private readonly topics: TopicCatalog,
    private readonly units: UnitsService,
    private readonly config: GopyConfig,
  ) {}

  private send(reply: FastifyReply, status: number, page: string): void {
    void reply.status(status).header('Content-Type', HTML).header('Cache-Control', 'no-store').send(page);
  }

  /** The case page again, with what this action adds to it (a revealed number, a message). */
  private async sendCase(
    p: StaffPrincipal,
    lang: Language,
    q: FastifyRequest,
    r: FastifyReply,
    status: number,
    caseId: string,
    extra: Pick<Parameters<typeof renderDeskCase>[0], 'contacts' | 'errors' | 'values'>,
  ): Promise<void> {
    const detail = await this.desk.detail(p, caseId);
    const page = renderDeskCase({
      lang,
      principal: p,
      csrfToken: q.staff?.csrfToken ?? '',
      detail,
      topics: this.topics.topics,
      ...extra,
    });
    this.send(r, status, page);
  }

  private async formModel(
    principal: StaffPrincipal,
    lang: Language,
    request: FastifyRequest,
    values: Record<string, string>,
    errors: Record<string, string> = {},
  ) {
    return {
      lang,
      principal,
      csrfToken: request.staff?.csrfToken ?? '',
      topics: this.topics.topics,
      units: await this.units.activeUnits(),
      values,
      errors,
    };
  }

  @Get('cuoc-goi')
  @Roles('operator', 'unit_lead')
  async callForm(@Staff() p: StaffPrincipal, @Lang() lang: Language, @Req() q: FastifyRequest, @Res() r: FastifyReply) {
    const values = { calledAt: vietnamDateTimeValue(new Date()), unitCode: await this.channels.defaultUnitCode(p) };
    this.send(r, 200, renderCallForm(await this.formModel(p, lang, q, values)));
  }

  @Post('cuoc-goi')
  @Roles('operator', 'unit_lead')
  async logCall(
    @Staff() p: StaffPrincipal,
    @Lang() lang: Language,
    @Body() body: FormBody,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    const values = strings(body);
    try {
      const logged = await this.channels.logCall(p, values);
      this.send(r, 201, renderLogged({ lang, principal: p, csrfToken: q.staff?.csrfToken ?? '' }, logged, 'call'));
    } catch (error) {
      if (!(error instanceof FieldValidationError)) throw error;
      const model = await this.formModel(p, lang, q, values, fieldMessages(lang, error.fields));
      this.send(r, 422, renderCallForm(model));
    }
  }

  @Get('thu')
  @Roles('operator', 'unit_lead')
  async letterForm(
    @Staff() p: StaffPrincipal,
    @Lang() lang: Language,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    const values = {
      receivedOn: vietnamDateTimeValue(new Date()).slice(0, 10),
      unitCode: await this.channels.defaultUnitCode(p),
      consent: '1',
    };
    this.send(r, 200, renderLetterForm(await this.formModel(p, lang, q, values)));
  }

  /** Multipart (scans): the CSRF token comes in the form's action URL, checked by the staff guard. */
  @Post('thu')
  @Roles('operator', 'unit_lead')
  async logLetter(
    @Staff() p: StaffPrincipal,
    @Lang() lang: Language,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    const form = await readMultipartForm(q, this.config.attachments);
    try {
      if (form.tooManyFiles)
        throw new FieldValidationError({
          attachments: { code: 'too_many_files', params: { max: this.config.attachments.maxFiles } },
        });
      const logged = await this.channels.logLetter(p, form.fields, form.files);
      this.send(r, 201, renderLogged({ lang, principal: p, csrfToken: q.staff?.csrfToken ?? '' }, logged, 'letter'));
    } catch (error) {
      if (!(error instanceof FieldValidationError)) throw error;
      const labels = { body: 'field.letterText', address: 'field.address' } as const;
      const model = await this.formModel(p, lang, q, form.fields, fieldMessages(lang, error.fields, labels));
      this.send(r, 422, renderLetterForm(model));
    }
  }

  @Post('ho-so/:id/goi-lai/:responseId')
  @Roles('collaborator', 'operator', 'unit_lead')
  async callback(
    @Staff() p: StaffPrincipal,
    @Lang() lang: Language,
    @Param('id') id: string,
    @Param('responseId') responseId: string,
    @Body() body: FormBody,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    if (!UUID.test(id)) throw new GopyError('not_found');
    try {
      await this.desk.recordCallback(p, id, responseId, body.outcome, body.note, q.ip);
      void r.redirect(`/ban-lam-viec/ho-so/${id}?ok=1`, 303);
    } catch (error) {
      if (!(error instanceof FieldValidationError)) throw error;
      // The case page again, the message beside this callback's choices, the note kept.
      const messages = fieldMessages(lang, error.fields, { outcome: 'case.callback.outcome' });
      await this.sendCase(p, lang, q, r, 422, id, {
        errors: { [`callback-${responseId}`]: messages.outcome },
        values: { [`callback-${responseId}-note`]: typeof body.note === 'string' ? body.note : '' },
      });
    }
  }

  /** The caller's number for a callback task: shown on this response only, the view audited. */
  @Post('ho-so/:id/goi-lai/:responseId/so-dien-thoai')
  @Roles('collaborator', 'operator', 'unit_lead')
  async callbackNumber(
    @Staff() p: StaffPrincipal,
    @Lang() lang: Language,
    @Param('id') id: string,
    @Param('responseId') responseId: string,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    if (!UUID.test(id)) throw new GopyError('not_found');
    const contacts = await this.desk.revealForCallback(p, id, responseId, q.ip);
    await this.sendCase(p, lang, q, r, 200, id, { contacts });
  }

  /** The reply letter to print: it shows the sender's address, so opening it is an audited reveal. */
  @Post('ho-so/:id/thu-tra-loi/:responseId')
  @Roles('operator', 'unit_lead')
  async printLetter(
    @Staff() p: StaffPrincipal,
    @Lang() lang: Language,
    @Param('id') id: string,
    @Param('responseId') responseId: string,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    if (!UUID.test(id)) throw new GopyError('not_found');
    const letter = await this.desk.printableLetter(p, id, responseId, q.ip);
    this.send(r, 200, renderPrintableLetter(lang, letter, formatTrackingCode(letter.trackingCode), id));
  }

  @Post('ho-so/:id/da-gui-thu/:responseId')
  @Roles('operator', 'unit_lead')
  async posted(
    @Staff() p: StaffPrincipal,
    @Param('id') id: string,
    @Param('responseId') responseId: string,
    @Res() r: FastifyReply,
  ) {
    if (!UUID.test(id)) throw new GopyError('not_found');
    await this.desk.markLetterPosted(p, id, responseId);
    void r.redirect(`/ban-lam-viec/ho-so/${id}?ok=1`, 303);
  }
}
