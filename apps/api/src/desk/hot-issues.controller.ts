import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StaffPrincipal } from '@gopy/auth';
import { ClusterAnswers, type HotIssue } from '@gopy/desk';
import { DigestService, isIsoWeek } from '@gopy/digest';
import { FieldValidationError, GopyError } from '@gopy/errors';
import { type Language, translate } from '@gopy/i18n';
import { fieldMessages } from '../http/field-messages';
import { Lang } from '../http/language';
import { Roles } from '../http/public.decorator';
import { Staff } from '../http/staff-access';
import { renderClusterAnswer, renderHotIssue, renderHotIssueList } from '../views/desk-hot-issues.view';

const HTML = 'text/html; charset=utf-8';
const EVERYONE = ['committee', 'admin', 'unit_lead', 'operator', 'collaborator'] as const;
const ANSWERING = ['unit_lead', 'operator', 'collaborator'] as const;

/**
 * Hot issues of the weekly digest: open one, draft one answer, review it, send it to each of
 * its cases through the case's own channel, and follow its delivery case by case.
 */
@Controller('ban-lam-viec/tong-hop')
export class HotIssuesController {
  constructor(
    private readonly digests: DigestService,
    private readonly answers: ClusterAnswers,
  ) {}

  @Get('nong')
  @Roles(...EVERYONE)
  async latest(@Staff() p: StaffPrincipal, @Lang() lang: Language, @Req() q: FastifyRequest, @Res() r: FastifyReply) {
    const [newest] = await this.digests.archive();
    if (newest) {
      void r.redirect(`/ban-lam-viec/tong-hop/${newest.week}/nong`, 303);
      return;
    }
    const page = renderHotIssueList({ ...this.frame(p, lang, q), week: null, issues: [] });
    void r.status(200).header('Content-Type', HTML).send(page);
  }

  @Get(':week/nong')
  @Roles(...EVERYONE)
  async list(
    @Staff() p: StaffPrincipal,
    @Lang() lang: Language,
    @Param('week') week: string,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    const digest = isIsoWeek(week) ? await this.digests.latest(week) : undefined;
    if (!digest) throw new GopyError('not_found');
    const page = renderHotIssueList({ ...this.frame(p, lang, q), week, issues: digest.data.hotIssues ?? [] });
    void r.status(200).header('Content-Type', HTML).header('Cache-Control', 'no-store').send(page);
  }

  @Get(':week/nong/:index')
  @Roles(...EVERYONE)
  async show(
    @Staff() p: StaffPrincipal,
    @Lang() lang: Language,
    @Param('week') week: string,
    @Param('index') index: string,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    await this.renderIssue(p, lang, q, r, await this.issue(week, index), 200);
  }

  @Post(':week/nong/:index/tra-loi')
  @Roles(...ANSWERING)
  async draft(
    @Staff() p: StaffPrincipal,
    @Lang() lang: Language,
    @Param('week') week: string,
    @Param('index') index: string,
    @Body() body: Record<string, unknown>,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    const issue = await this.issue(week, index);
    try {
      const id = await this.answers.draft(p, issue, body.response);
      void r.redirect(`${this.base(issue)}/tra-loi/${id}`, 303);
    } catch (error) {
      if (!(error instanceof FieldValidationError)) throw error;
      await this.renderIssue(p, lang, q, r, issue, 422, {
        values: { response: typeof body.response === 'string' ? body.response : '' },
        error: fieldMessages(lang, error.fields).response,
      });
    }
  }

  @Get(':week/nong/:index/tra-loi/:answer')
  @Roles(...EVERYONE)
  async review(
    @Staff() p: StaffPrincipal,
    @Lang() lang: Language,
    @Param('week') week: string,
    @Param('index') index: string,
    @Param('answer') answerId: string,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    const answer = await this.answer(p, week, index, answerId);
    const sent = answer.recipients.filter((x) => x.outcome === 'sent').length;
    const skipped = answer.recipients.filter((x) => x.outcome === 'skipped').length;
    const done =
      q.query && (q.query as Record<string, unknown>).ok === '1'
        ? translate(lang, 'digest.hotSent', { sent: String(sent), skipped: String(skipped) })
        : undefined;
    const page = renderClusterAnswer({ ...this.frame(p, lang, q), answer, done });
    void r.status(200).header('Content-Type', HTML).header('Cache-Control', 'no-store').send(page);
  }

  @Post(':week/nong/:index/tra-loi/:answer/sua')
  @Roles(...ANSWERING)
  async revise(
    @Staff() p: StaffPrincipal,
    @Lang() lang: Language,
    @Param('week') week: string,
    @Param('index') index: string,
    @Param('answer') answerId: string,
    @Body() body: Record<string, unknown>,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    const answer = await this.answer(p, week, index, answerId);
    try {
      await this.answers.revise(p, answer.id, body.response);
      void r.redirect(`${this.base(answer.issue)}/tra-loi/${answer.id}`, 303);
    } catch (error) {
      if (!(error instanceof FieldValidationError)) throw error;
      const page = renderClusterAnswer({
        ...this.frame(p, lang, q),
        answer,
        values: { response: typeof body.response === 'string' ? body.response : '' },
        error: fieldMessages(lang, error.fields).response,
      });
      void r.status(422).header('Content-Type', HTML).send(page);
    }
  }

  @Post(':week/nong/:index/tra-loi/:answer/gui')
  @Roles(...ANSWERING)
  async send(
    @Staff() p: StaffPrincipal,
    @Param('week') week: string,
    @Param('index') index: string,
    @Param('answer') answerId: string,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    const answer = await this.answer(p, week, index, answerId, false);
    await this.answers.send(p, answer.id, q.ip);
    void r.redirect(`${this.base(answer.issue)}/tra-loi/${answer.id}?ok=1`, 303);
  }

  @Post(':week/nong/:index/tra-loi/:answer/huy')
  @Roles(...ANSWERING)
  async discard(
    @Staff() p: StaffPrincipal,
    @Param('week') week: string,
    @Param('index') index: string,
    @Param('answer') answerId: string,
    @Res() r: FastifyReply,
  ) {
    const answer = await this.answer(p, week, index, answerId, false);
    await this.answers.discard(p, answer.id);
    void r.redirect(this.base(answer.issue), 303);
  }

  private frame(p: StaffPrincipal, lang: Language, q: FastifyRequest) {
    return { lang, principal: p, csrfToken: q.staff?.csrfToken ?? '' };
  }

  private base(issue: HotIssue): string {
    return `/ban-lam-viec/tong-hop/${issue.week}/nong/${String(issue.index)}`;
  }

  /** The hot issue of the week's newest digest version. */
  private async issue(week: string, index: string): Promise<HotIssue> {
    if (!isIsoWeek(week) || !/^\d{1,2}$/.test(index)) throw new GopyError('not_found');
    const digest = await this.digests.latest(week);
    if (!digest) throw new GopyError('not_found');
    return this.answers.issue(digest.id, Number(index));
  }

  /** An answer, only under the week and issue it was written for. */
  private async answer(p: StaffPrincipal, week: string, index: string, answerId: string, withRecipients = true) {
    const answer = await this.answers.get(p, answerId, withRecipients);
    if (answer.issue.week !== week || String(answer.issue.index) !== index) throw new GopyError('not_found');
    return answer;
  }

  private async renderIssue(
    p: StaffPrincipal,
    lang: Language,
    q: FastifyRequest,
    r: FastifyReply,
    issue: HotIssue,
    status: number,
    form: { values?: { response?: string }; error?: string } = {},
  ) {
    const page = renderHotIssue({
      ...this.frame(p, lang, q),
      issue,
      recipients: await this.answers.recipients(p, issue),
      answers: await this.answers.list(p, issue),
      ...form,
    });
    void r.status(status).header('Content-Type', HTML).header('Cache-Control', 'no-store').send(page);
  }
}
