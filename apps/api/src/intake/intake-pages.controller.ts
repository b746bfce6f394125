import { Body, Controller, Get, Header, HttpCode, Logger, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CasesService, TopicCatalog, formatTrackingCode, generateTrackingCode } from '@gopy/cases';
import { GopyConfig } from '@gopy/config';
import { UnitsService } from '@gopy/directory';
import { FieldIssues, FieldValidationError, GopyError } from '@gopy/errors';
import { isLanguage, translate } from '@gopy/i18n';
import type { Language } from '@gopy/i18n';
import { CreateFollowUpDto, IntakeService, requestHash, validateDto } from '@gopy/intake';
import { fieldMessages } from '../http/field-messages';
import { LANGUAGE_COOKIE, Lang } from '../http/language';
import { Public } from '../http/public.decorator';
import { RateLimit } from '../http/rate-limit';
import { renderConfirmation } from '../views/confirmation.view';
import { FORM_FIELDS, renderSubmissionForm } from '../views/submission-form.view';
import { renderCasePage, renderLookup } from '../views/tracking.view';
import { checkFormToken, issueFormToken } from './form-token';
import { MultipartForm, readMultipartForm } from './multipart-form';

const HTML = 'text/html; charset=utf-8';
// Text values kept for re-rendering; files are never echoed back.
const TEXT_FIELDS = FORM_FIELDS.filter((f) => f !== 'attachments');
// A double click sends the same token twice; the second waits for the first to commit.
const IN_PROGRESS_WAIT_MS = 250;
const IN_PROGRESS_TRIES = 40;

/** The public pages: the form, the confirmation, the tracking page. Server-rendered, no JavaScript needed. */
@ApiExcludeController()
@Public()
@Controller()
export class IntakePagesController {
  private readonly logger = new Logger(IntakePagesController.name);

  constructor(
    private readonly intake: IntakeService,
    private readonly cases: CasesService,
    private readonly topics: TopicCatalog,
    private readonly units: UnitsService,
    private readonly config: GopyConfig,
  ) {}

  @Get()
  @Header('Content-Type', HTML)
  async form(@Lang() lang: Language): Promise<string> {
    return this.renderForm(lang, {}, {});
  }

  @Post('gop-y')
  @RateLimit('submit')
  async submit(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Lang() lang: Language): Promise<void> {
    const form = await readMultipartForm(request, this.config.attachments);
    const values = Object.fromEntries(TEXT_FIELDS.map((f) => [f, form.fields[f] ?? '']));
    if (form.fields.website) {
      // Honeypot filled: answer like a success so the robot learns nothing; store nothing.
      this.logger.warn('honeypot field filled; submission discarded');
      return this.send(reply, 200, this.confirmation(lang, formatTrackingCode(generateTrackingCode()), false));
    }
    const token = checkFormToken(form.fields.formToken, this.config.form.tokenSecret, {
      minFillSeconds: this.config.form.minFillSeconds,
      ttlSeconds: this.config.form.tokenTtlSeconds,
    });
    if (!token.ok) {
      const notice = translate(lang, token.reason === 'too_fast' ? 'form.tooFast' : 'form.expired');
      return this.send(reply, 422, await this.renderForm(lang, values, {}, notice));
    }
    try {
      const plain = toSubmissionFields(form, lang);
      const { dto, checked } = await this.intake.validate(plain, form.files);
      const fingerprint = requestHash({
        ...plain,
        files: form.files.map((f) => requestHash(f.bytes.toString('base64'))),
      });
      const result = await this.submitOnce(() =>
        this.intake.submit({
          channel: 'web',
          language: lang,
          dto,
          files: form.files,
          checked,
          idempotency: { key: `form:${token.nonce}`, requestHash: fingerprint },
        }),
      );
      const { receipt } = result;
      return this.send(
        reply,
        result.replayed ? 200 : 201,
        this.confirmation(lang, receipt.trackingCode, receipt.receiptByEmail),
      );
    } catch (error) {
      if (error instanceof FieldValidationError) {
        return this.send(reply, error.status, await this.renderForm(lang, values, error.fields));
      }
      if (error instanceof GopyError && error.code === 'idempotency_mismatch') {
        return this.send(reply, 422, await this.renderForm(lang, values, {}, translate(lang, 'form.alreadySent')));
      }
      throw error;
    }
  }

  @Get('theo-doi')
  @Header('Content-Type', HTML)
  lookupPage(@Lang() lang: Language): string {
    return renderLookup({ lang });
  }

  @Post('theo-doi')
  @RateLimit('track')
  async lookup(
    @Body() body: Record<string, string> | undefined,
    @Res() reply: FastifyReply,
    @Lang() lang: Language,
  ): Promise<void> {
    const code = String(body?.code ?? '');
    const view = await this.cases.publicView(code);
    if (!view) return this.send(reply, 404, renderLookup({ lang, code, error: translate(lang, 'track.notFound') }));
    void reply.redirect(`/theo-doi/${view.trackingCode}`, 303);
  }

  @Get('theo-doi/:code')
  @RateLimit('track')
  async casePage(
    @Param('code') code: string,
    @Query('bo-sung') added: string | undefined,
    @Res() reply: FastifyReply,
    @Lang() lang: Language,
  ): Promise<void> {
    const view = await this.cases.publicView(code);
    if (!view) return this.send(reply, 404, renderLookup({ lang, code, error: translate(lang, 'track.notFound') }));
    const topicName = this.topics.name(view.topic, lang);
    return this.send(reply, 200, renderCasePage({ lang, view, topicName, followUp: { done: added === '1' } }));
  }

  @Post('theo-doi/:code/bo-sung')
  @RateLimit('submit')
  async followUp(
    @Param('code') code: string,
    @Body() body: Record<string, string> | undefined,
    @Res() reply: FastifyReply,
    @Lang() lang: Language,
  ): Promise<void> {
    try {
      const dto = await validateDto(CreateFollowUpDto, { body: body?.body ?? '' });
      const done = await this.intake.followUp(code, dto, lang);
      void reply.redirect(`/theo-doi/${done.trackingCode}?bo-sung=1`, 303);
    } catch (error) {
      const view = await this.cases.publicView(code);
      if (!view) return this.send(reply, 404, renderLookup({ lang, code, error: translate(lang, 'track.notFound') }));
      const topicName = this.topics.name(view.topic, lang);
      if (error instanceof FieldValidationError) {
        const message = fieldMessages(lang, error.fields).body;
        return this.send(
          reply,
          422,
          renderCasePage({ lang, view, topicName, followUp: { value: body?.body, error: message } }),
        );
      }
      if (error instanceof GopyError && error.code === 'follow_up_refused') {
        return this.send(reply, 409, renderCasePage({ lang, view, topicName, followUp: { refused: true } }));
      }
      throw error;
    }
  }

  @Get('ngon-ngu/:lang')
  @HttpCode(303)
  switchLanguage(
    @Param('lang') lang: string,
    @Query('next') next: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
    const chosen = isLanguage(lang) ? lang : 'vi';
    // Only same-site paths: never an open redirect.
    const target = typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : '/';
    const secure = this.config.http.publicBaseUrl.startsWith('https:') ? '; Secure' : '';
    void reply
      .header('Set-Cookie', `${LANGUAGE_COOKIE}=${chosen}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax${secure}`)
      .redirect(target, 303);
  }

  private async submitOnce<T>(attempt: () => Promise<T>): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await attempt();
      } catch (error) {
        const busy = error instanceof GopyError && error.code === 'idempotency_in_progress';
        if (!busy || i >= IN_PROGRESS_TRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, IN_PROGRESS_WAIT_MS));
      }
    }
  }

  private confirmation(lang: Language, trackingCode: string, receiptByEmail: boolean): string {
    return renderConfirmation({
      lang,
      trackingCode,
      trackingUrl: `${this.config.http.publicBaseUrl}/theo-doi/${trackingCode}`,
      receiptByEmail,
    });
  }

  private async renderForm(
    lang: Language,
    values: Record<string, string>,
    issues: FieldIssues,
    notice?: string,
  ): Promise<string> {
    return renderSubmissionForm({
      lang,
      token: issueFormToken(this.config.form.tokenSecret),
      topics: this.topics.topics,
      units: await this.units.activeUnits(),
      values,
      errors: fieldMessages(lang, issues),
      notice,
      attachments: this.config.attachments,
    });
  }

  private send(reply: FastifyReply, status: number, page: string): void {
    void reply.status(status).header('Content-Type', HTML).send(page);
  }
}

/** The form's strings as the DTO expects them; radio and checkbox values become booleans. */
function toSubmissionFields(form: MultipartForm, lang: Language): Record<string, unknown> {
  const f = form.fields;
  const plain: Record<string, unknown> = {
    topic: f.topic ?? '',
    subject: f.subject ?? '',
    body: f.body ?? '',
    anonymous: f.anonymous === 'yes' ? true : f.anonymous === 'no' ? false : undefined,
    consent: f.consent === 'yes',
    language: lang,
  };
  for (const optional of ['unitCode', 'name', 'email', 'phone', 'address']) {
    if (f[optional]) plain[optional] = f[optional];
  }
  const extra: FieldIssues = {};
  for (const field of form.truncated) extra[field] = { code: 'too_long', params: { max: 64 * 1024 } };
  if (form.tooManyFiles) extra.attachments = { code: 'too_many_files', params: { max: form.files.length } };
  if (Object.keys(extra).length > 0) throw new FieldValidationError(extra);
  return plain;
}
