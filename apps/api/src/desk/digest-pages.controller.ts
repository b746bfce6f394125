import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService } from '@gopy/audit';
import type { StaffPrincipal } from '@gopy/auth';
import { TopicCatalog } from '@gopy/cases';
import { DigestService, deadlineLabels, digestPdf, digestXlsx, isIsoWeek } from '@gopy/digest';
import { GopyConfig } from '@gopy/config';
import { formatDateTime } from '@gopy/i18n';
import { label } from '../views/desk-layout.view';
import { GopyError } from '@gopy/errors';
import { type Language, translate } from '@gopy/i18n';
import { html } from '@gopy/text';
import { Lang } from '../http/language';
import { Roles } from '../http/public.decorator';
import { Staff } from '../http/staff-access';
import { renderDeskPage } from '../views/desk-layout.view';
import { digestCsv, renderDigestPage } from '../views/desk-digest.view';

const HTML = 'text/html; charset=utf-8';

/** The weekly digest on the desk: figures only, for the committee, admins and unit leads. */
@Controller('ban-lam-viec/tong-hop')
export class DigestPagesController {
  constructor(
    private readonly digests: DigestService,
    private readonly topics: TopicCatalog,
    private readonly config: GopyConfig,
    private readonly audit: AuditService,
  ) {}

  private week(value: string): string {
    if (!isIsoWeek(value)) throw new GopyError('not_found');
    return value;
  }

  @Get()
  @Roles('committee', 'admin', 'unit_lead')
  async latest(@Staff() p: StaffPrincipal, @Lang() lang: Language, @Req() q: FastifyRequest, @Res() r: FastifyReply) {
    const [newest] = await this.digests.archive();
    if (newest) {
      void r.redirect(`/ban-lam-viec/tong-hop/${newest.week}`, 303);
      return;
    }
    const page = renderDeskPage({
      lang,
      title: translate(lang, 'nav.digest'),
      path: '/ban-lam-viec/tong-hop',
      principal: p,
      csrfToken: q.staff?.csrfToken ?? '',
      body: html`<h1>${translate(lang, 'nav.digest')}</h1><p>${translate(lang, 'digest.notYet')}</p>`,
    });
    void r.status(200).header('Content-Type', HTML).send(page);
  }

  @Get(':week')
  @Roles('committee', 'admin', 'unit_lead')
  async show(
    @Staff() p: StaffPrincipal,
    @Lang() lang: Language,
    @Param('week') week: string,
    @Query('ban') ban: unknown,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    // ?ban=N shows an older version of the week (a rebuild keeps the ones before).
    if (ban !== undefined && (typeof ban !== 'string' || !/^\d{1,3}$/.test(ban))) throw new GopyError('not_found');
    const digest = await this.digests.latest(this.week(week), ban === undefined ? undefined : Number(ban));
    if (!digest) throw new GopyError('not_found');
    const page = renderDigestPage({
      lang,
      principal: p,
      csrfToken: q.staff?.csrfToken ?? '',
      digest,
      topics: this.topics.topics,
      archive: await this.digests.archive(),
    });
    void r.status(200).header('Content-Type', HTML).header('Cache-Control', 'no-store').send(page);
  }

  @Get(':week/bang.csv')
  @Roles('committee', 'admin', 'unit_lead')
  async csv(@Param('week') week: string, @Res() r: FastifyReply) {
    const digest = await this.digests.latest(this.week(week));
    if (!digest) throw new GopyError('not_found');
    void r
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="gopy-tong-hop-${digest.week}.csv"`)
      .send(digestCsv(digest.data, (code) => this.topics.name(code, 'vi')));
  }

  @Get(':week/bang.xlsx')
  @Roles('committee', 'admin', 'unit_lead')
  async xlsx(@Param('week') week: string, @Res() r: FastifyReply) {
    const digest = await this.digests.latest(this.week(week));
    if (!digest) throw new GopyError('not_found');
    void r
      .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('Content-Disposition', `attachment; filename="gopy-tong-hop-${digest.week}.xlsx"`)
      .send(await digestXlsx(digest.data, (code) => this.topics.name(code, 'vi')));
  }

  @Get(':week/tong-hop.pdf')
  @Roles('committee', 'admin', 'unit_lead')
  async pdf(@Lang() lang: Language, @Param('week') week: string, @Res() r: FastifyReply) {
    const digest = await this.digests.latest(this.week(week));
    if (!digest) throw new GopyError('not_found');
    const d = digest.data;
    const t = (key: Parameters<typeof translate>[1], params?: Record<string, string>) => translate(lang, key, params);
    const pdf = await digestPdf(
      d,
      {
        title: t('digest.title', { week: d.week }),
        period: t('digest.period', {
          start: formatDateTime(lang, new Date(d.start)),
          end: formatDateTime(lang, new Date(new Date(d.end).getTime() - 1)),
        }),
        received: t('digest.received'),
        lastWeek: t('digest.lastWeek'),
        openAtEnd: t('digest.openAtEnd'),
        byChannel: t('digest.byChannel'),
        byTopic: t('digest.byTopic'),
        trend: t('digest.trend'),
        units: t('digest.units'),
        unitHeader: [t('desk.col.unit'), t('digest.thisWeek'), t('digest.open'), t('desk.overdue'), t('digest.onTime')],
        overdue: t('digest.overdueList'),
        none: t('digest.none'),
        backlog: t('digest.backlog'),
        deadlines: deadlineLabels(lang),
        hot: t('digest.hot'),
        hotCount: (count, previous) => t('digest.hotCount', { count: String(count), previous: String(previous) }),
        spikes: t('digest.spikes'),
        spike: (count, average) => t('digest.spike', { week: String(count), average: String(average) }),
        channel: (code) => label(lang, 'channel', code),
        topic: (code) => this.topics.name(code, lang),
      },
      this.config.digest.fontsDir,
    );
    void r
      .header('Content-Type', 'application/pdf')
      .header('Content-Disposition', `attachment; filename="gopy-tong-hop-${digest.week}.pdf"`)
      .send(pdf);
  }

  @Post(':week/lam-lai')
  @Roles('admin')
  async rebuild(
    @Staff() p: StaffPrincipal,
    @Param('week') week: string,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    const built = await this.digests.rebuild(this.week(week), `staff:${p.id}`);
    await this.audit.record({
      actor: `staff:${p.id}`,
      action: 'digest.rebuilt',
      detail: { week: built.week, version: built.version },
      origin: q.ip,
    });
    void r.redirect(`/ban-lam-viec/tong-hop/${week}`, 303);
  }
}
