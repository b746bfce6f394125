import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type StaffPrincipal, type StaffRole, STAFF_ROLES, StaffUsersService } from '@gopy/auth';
import { TopicCatalog } from '@gopy/cases';
import { type DeskView, DeskService, parseDeskFilters } from '@gopy/desk';
import { UnitsService } from '@gopy/directory';
import { FieldValidationError, GopyError } from '@gopy/errors';
import { type Language, translate } from '@gopy/i18n';
import { MailboxImporter } from '@gopy/mailbox';
import { RoutingService } from '@gopy/routing';
import { fieldMessages } from '../http/field-messages';
import { Lang } from '../http/language';
import { Roles } from '../http/public.decorator';
import { Staff } from '../http/staff-access';
import { renderDeskAdmin } from '../views/desk-admin.view';
import { renderDeskCase } from '../views/desk-case.view';
import { renderDeskList } from '../views/desk-list.view';

const HTML = 'text/html; charset=utf-8';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ALL_STAFF: StaffRole[] = [...STAFF_ROLES];

type FormBody = Record<string, unknown>;

/** The views a person has: what they own, their unit, the unassigned queue, everything. */
function viewsFor(principal: StaffPrincipal): DeskView[] {
  const views: DeskView[] = [];
  if (principal.collaboratorId) views.push('mine');
  if (principal.unitId && principal.roles.some((r) => r === 'operator' || r === 'unit_lead')) views.push('unit');
  if (principal.roles.some((r) => r !== 'collaborator')) views.push('unassigned', 'all');
  return views.length > 0 ? views : ['mine'];
}

function caseId(id: string): string {
  if (!UUID.test(id)) throw new GopyError('not_found');
  return id;
}

/**
 * The desk's pages. Each route names its roles; the service checks unit scope (another
 * unit's case is not found) and the life cycle. Bad input re-renders the page with
 * field-level messages and changes nothing.
 */
@Controller('ban-lam-viec')
export class DeskPagesController {
  constructor(
    private readonly desk: DeskService,
    private readonly topics: TopicCatalog,
    private readonly units: UnitsService,
    private readonly users: StaffUsersService,
    private readonly routing: RoutingService,
    private readonly mailboxes: MailboxImporter,
  ) {}

  private csrf(request: FastifyRequest): string {
    return request.staff?.csrfToken ?? '';
  }

  private send(reply: FastifyReply, status: number, page: string): void {
    void reply.status(status).header('Content-Type', HTML).header('Cache-Control', 'no-store').send(page);
  }

  @Get()
  @Roles(...ALL_STAFF)
  async list(
    @Staff() principal: StaffPrincipal,
    @Lang() lang: Language,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const views = viewsFor(principal);
    const filters = parseDeskFilters(query, views[0]);
    if (!views.includes(filters.view)) filters.view = views[0];
    const list = await this.desk.list(principal, filters);
    const errors = fieldMessages(lang, filters.issues, { from: 'desk.filter.from', to: 'desk.filter.to' });
    this.send(
      reply,
      Object.keys(errors).length > 0 ? 422 : 200,
      renderDeskList({
        lang,
        principal,
        csrfToken: this.csrf(request),
        filters,
        errors,
        values: {
          from: typeof query.from === 'string' ? query.from : '',
          to: typeof query.to === 'string' ? query.to : '',
        },
        views,
        list,
        topics: this.topics.topics,
        units: await this.units.activeUnits(),
        path: request.url,
      }),
    );
  }

  @Get('ho-so/:id')
  @Roles(...ALL_STAFF)
  async casePage(
    @Staff() principal: StaffPrincipal,
    @Lang() lang: Language,
    @Param('id') id: string,
    @Query('ok') ok: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const detail = await this.desk.detail(principal, caseId(id));
    this.send(
      reply,
      200,
      renderDeskCase({
        lang,
        principal,
        csrfToken: this.csrf(request),
        detail,
        topics: this.topics.topics,
        done: ok === '1',
      }),
    );
  }

  /** Runs an action; on success back to the case page, on bad input the page again with messages. */
  private async act(
    principal: StaffPrincipal,
    lang: Language,
    id: string,
    body: FormBody,
    request: FastifyRequest,
    reply: FastifyReply,
    action: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await action();
      void reply.redirect(`/ban-lam-viec/ho-so/${id}?ok=1`, 303);
    } catch (error) {
      if (!(error instanceof FieldValidationError)) throw error;
      const detail = await this.desk.detail(principal, id);
      const values = Object.fromEntries(
        Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf'),
      );
      this.send(
        reply,
        422,
        renderDeskCase({
          lang,
          principal,
          csrfToken: this.csrf(request),
          detail,
          topics: this.topics.topics,
          errors: fieldMessages(lang, error.fields),
          values,
        }),
      );
    }
  }

  @Post('ho-so/:id/nhan')
  @Roles('collaborator', 'operator')
  async accept(
    @Staff() p: StaffPrincipal,
    @Lang() l: Language,
    @Param('id') id: string,
    @Body() b: FormBody,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    await this.act(p, l, caseId(id), b, q, r, () => this.desk.accept(p, id, q.ip));
  }

  @Post('ho-so/:id/tu-choi')
  @Roles('collaborator')
  async decline(
    @Staff() p: StaffPrincipal,
    @Lang() l: Language,
    @Param('id') id: string,
    @Body() b: FormBody,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    await this.act(p, l, caseId(id), b, q, r, () => this.desk.decline(p, id, b.reason, q.ip));
  }

  @Post('ho-so/:id/ghi-chu')
  @Roles('collaborator', 'operator', 'unit_lead', 'admin')
  async note(
    @Staff() p: StaffPrincipal,
    @Lang() l: Language,
    @Param('id') id: string,
    @Body() b: FormBody,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    await this.act(p, l, caseId(id), b, q, r, () => this.desk.note(p, id, b.note));
  }

  @Post('ho-so/:id/phan-loai')
  @Roles('collaborator', 'operator', 'unit_lead', 'admin')
  async reclassify(
    @Staff() p: StaffPrincipal,
    @Lang() l: Language,
    @Param('id') id: string,
    @Body() b: FormBody,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    await this.act(p, l, caseId(id), b, q, r, () => this.desk.reclassify(p, id, b, q.ip));
  }

  @Post('ho-so/:id/phan-cong')
  @Roles('operator', 'unit_lead', 'admin')
  async assign(
    @Staff() p: StaffPrincipal,
    @Lang() l: Language,
    @Param('id') id: string,
    @Body() b: FormBody,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    await this.act(p, l, caseId(id), b, q, r, () => this.desk.assign(p, id, b.collaboratorKey, q.ip));
  }

  @Post('ho-so/:id/tra-loi')
  @Roles('collaborator', 'operator', 'unit_lead')
  async respond(
    @Staff() p: StaffPrincipal,
    @Lang() l: Language,
    @Param('id') id: string,
    @Body() b: FormBody,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    await this.act(p, l, caseId(id), b, q, r, () => this.desk.respond(p, id, b.response, q.ip, b.kind));
  }

  @Post('ho-so/:id/ket-thuc')
  @Roles('collaborator', 'operator', 'unit_lead')
  async close(
    @Staff() p: StaffPrincipal,
    @Lang() l: Language,
    @Param('id') id: string,
    @Body() b: FormBody,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    await this.act(p, l, caseId(id), b, q, r, () => this.desk.close(p, id, b.outcome, q.ip));
  }

  @Post('ho-so/:id/mo-lai')
  @Roles('operator', 'unit_lead', 'admin')
  async reopen(
    @Staff() p: StaffPrincipal,
    @Lang() l: Language,
    @Param('id') id: string,
    @Body() b: FormBody,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    await this.act(p, l, caseId(id), b, q, r, () => this.desk.reopen(p, id, q.ip));
  }

  @Post('ho-so/:id/gop')
  @Roles('operator', 'unit_lead', 'admin')
  async merge(
    @Staff() p: StaffPrincipal,
    @Lang() l: Language,
    @Param('id') id: string,
    @Body() b: FormBody,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    await this.act(p, l, caseId(id), b, q, r, () => this.desk.merge(p, id, b.target, q.ip));
  }

  @Post('ho-so/:id/rac')
  @Roles('operator', 'unit_lead', 'admin')
  async spam(
    @Staff() p: StaffPrincipal,
    @Lang() l: Language,
    @Param('id') id: string,
    @Body() b: FormBody,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    await this.act(p, l, caseId(id), b, q, r, () => this.desk.markSpam(p, id, b.reason, q.ip));
  }

  /** Shows the submitters' contact details once, on this response only; the reveal is audited. */
  @Post('ho-so/:id/lien-he')
  @Roles('operator', 'unit_lead')
  async reveal(
    @Staff() p: StaffPrincipal,
    @Lang() lang: Language,
    @Param('id') id: string,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    const contacts = await this.desk.revealContact(p, caseId(id), q.ip);
    const detail = await this.desk.detail(p, id);
    this.send(
      r,
      200,
      renderDeskCase({ lang, principal: p, csrfToken: this.csrf(q), detail, topics: this.topics.topics, contacts }),
    );
  }

  @Get('quan-tri')
  @Roles('admin')
  async admin(
    @Staff() p: StaffPrincipal,
    @Lang() lang: Language,
    @Query('ok') ok: string | undefined,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    await this.renderAdmin(p, lang, q, r, 200, { done: ok === '1' ? translate(lang, 'case.done') : undefined });
  }

  private async renderAdmin(
    principal: StaffPrincipal,
    lang: Language,
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    extra: { errors?: Record<string, string>; values?: Record<string, string>; done?: string },
  ): Promise<void> {
    this.send(
      reply,
      status,
      renderDeskAdmin({
        lang,
        principal,
        csrfToken: this.csrf(request),
        users: await this.users.list(),
        routingSource: this.routing.policy.source,
        slaSource: this.routing.sla.source,
        mailboxes: await this.mailboxes.health(),
        ...extra,
      }),
    );
  }

  private async adminAct(
    p: StaffPrincipal,
    lang: Language,
    body: FormBody,
    q: FastifyRequest,
    r: FastifyReply,
    action: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await action();
      void r.redirect('/ban-lam-viec/quan-tri?ok=1', 303);
    } catch (error) {
      if (!(error instanceof FieldValidationError)) throw error;
      const values: Record<string, string> = {};
      for (const [key, value] of Object.entries(body))
        if (typeof value === 'string' && key !== '_csrf' && key !== 'password') values[key] = value;
      values.roles = STAFF_ROLES.filter((role) => body[`role_${role}`]).join(',');
      await this.renderAdmin(p, lang, q, r, 422, { errors: fieldMessages(lang, error.fields), values });
    }
  }

  @Post('quan-tri/tai-khoan')
  @Roles('admin')
  async createUser(
    @Staff() p: StaffPrincipal,
    @Lang() l: Language,
    @Body() b: FormBody,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    const text = (key: string) => (typeof b[key] === 'string' ? b[key] : '');
    await this.adminAct(p, l, b, q, r, () =>
      this.users.create(
        {
          email: text('email'),
          fullName: text('fullName'),
          password: text('password'),
          roles: STAFF_ROLES.filter((role) => b[`role_${role}`]),
          unitCode: text('unitCode') || null,
          collaboratorKey: text('collaboratorKey') || null,
        },
        `staff:${p.id}`,
      ),
    );
  }

  @Post('quan-tri/tai-khoan/:id/khoa')
  @Roles('admin')
  async disableUser(@Staff() p: StaffPrincipal, @Param('id') id: string, @Res() r: FastifyReply) {
    await this.users.setActive(caseId(id), false, `staff:${p.id}`);
    void r.redirect('/ban-lam-viec/quan-tri?ok=1', 303);
  }

  @Post('quan-tri/tai-khoan/:id/mo-khoa')
  @Roles('admin')
  async enableUser(@Staff() p: StaffPrincipal, @Param('id') id: string, @Res() r: FastifyReply) {
    await this.users.setActive(caseId(id), true, `staff:${p.id}`);
    void r.redirect('/ban-lam-viec/quan-tri?ok=1', 303);
  }

  @Post('quan-tri/cong-tac-vien')
  @Roles('admin')
  async releaseCollaborator(
    @Staff() p: StaffPrincipal,
    @Lang() l: Language,
    @Body() b: FormBody,
    @Req() q: FastifyRequest,
    @Res() r: FastifyReply,
  ) {
    const key = typeof b.collaboratorKey === 'string' ? b.collaboratorKey.trim() : '';
    const change =
      b.change === 'deactivate'
        ? ({ deactivate: true } as const)
        : {
            leave: {
              startsOn: typeof b.startsOn === 'string' ? b.startsOn : '',
              endsOn: typeof b.endsOn === 'string' ? b.endsOn : '',
            },
          };
    await this.adminAct(p, l, b, q, r, () => this.desk.releaseCollaborator(p, key, change, q.ip));
  }
}
