import type { LoggerService } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { NewStaffUser, StaffUsersService } from '@gopy/auth';
import { DirectoryImportService, demoCollaborators, demoUnits } from '@gopy/directory';
import type { RoutingService } from '@gopy/routing';
import { CreateSubmissionDto, IntakeService } from '@gopy/intake';
import { DEMO_OPINIONS } from './demo-opinions';

// The demo organisation: a provincial bloc of 71 grassroots units. Demo data only; nothing
// else in gopy depends on these numbers.
const DEMO_UNIT_COUNT = 71;
const DEMO_COLLABORATORS = { tuyen_truyen_vien: 388, du_luan_xa_hoi: 103, bao_cao_vien: 94 };

// The demo accounts' password: for a local demo only; the seed creates no accounts in production.
export const DEMO_PASSWORD = 'gopy-demo-2026';

async function isEmpty(
  dataSource: DataSource,
  table: 'units' | 'collaborators' | 'cases' | 'staff_users',
): Promise<boolean> {
  const [{ found }] = await dataSource.query<{ found: boolean }[]>(`SELECT EXISTS (SELECT 1 FROM ${table}) AS found`);
  return !found;
}

/**
 * Seeds the demo on first run, through the same paths real data takes: the directory
 * import for units and collaborators, intake for a handful of opinions. Each part is
 * skipped once its table has rows.
 */
export async function seedDemo(
  dataSource: DataSource,
  services: {
    intake: IntakeService;
    directory: DirectoryImportService;
    topics: Set<string>;
    routing: RoutingService;
    users: StaffUsersService;
    demoPassword?: string;
  },
  logger: LoggerService,
): Promise<void> {
  const units = demoUnits(DEMO_UNIT_COUNT);
  if (await isEmpty(dataSource, 'units')) {
    const report = await services.directory.import(
      'units',
      units.map((u) => ({ ma_don_vi: u.code, ten_don_vi: u.name })),
      services.topics,
    );
    logger.log(`demo seed: ${report.created} units`);
  }
  if (await isEmpty(dataSource, 'collaborators')) {
    const rows = demoCollaborators(
      DEMO_COLLABORATORS,
      units.map((u) => u.code),
    );
    const report = await services.directory.import('collaborators', rows, services.topics);
    if (report.errors.length > 0)
      throw new Error(`demo collaborators refused: ${JSON.stringify(report.errors.slice(0, 3))}`);
    logger.log(`demo seed: ${report.created} collaborators`);
  }
  if (await isEmpty(dataSource, 'cases')) {
    for (const [index, opinion] of DEMO_OPINIONS.entries()) {
      const dto = Object.assign(new CreateSubmissionDto(), {
        ...opinion,
        unitCode: units[index % units.length].code,
        anonymous: true,
      });
      const { receipt } = await services.intake.submit({ channel: 'web', language: 'vi', dto, files: [] });
      logger.log(`demo case ${receipt.trackingCode}: ${opinion.subject}`);
    }
  }
  // Route the demo cases now, so the demo collaborator's account opens on real work.
  const routed = await services.routing.routeBacklog(100);
  if (routed.length > 0) logger.log(`demo seed: ${routed.length} cases routed`);
  if (services.demoPassword && (await isEmpty(dataSource, 'staff_users'))) {
    const [first] = await dataSource.query<{ key: string; unit_code: string; full_name: string }[]>(
      `SELECT p.key, p.full_name, u.code AS unit_code FROM cases c JOIN collaborators p ON p.id = c.assignee_id
         JOIN units u ON u.id = p.unit_id ORDER BY c.created_at, c.id LIMIT 1`,
    );
    const accounts: NewStaffUser[] = [
      { email: 'quantri@gopy.local', fullName: 'Nguyễn Thị Quản Trị', roles: ['admin'], password: '' },
      { email: 'thuongtruc@gopy.local', fullName: 'Trần Văn Thường Trực', roles: ['committee'], password: '' },
      { email: 'dieuphoi@gopy.local', fullName: 'Lê Thị Điều Phối', roles: ['operator'], password: '' },
    ];
    if (first) {
      accounts.push(
        {
          email: 'lanhdao@gopy.local',
          fullName: 'Phạm Văn Lãnh Đạo',
          roles: ['unit_lead'],
          unitCode: first.unit_code,
          password: '',
        },
        {
          email: 'vanthu@gopy.local',
          fullName: 'Hoàng Thị Văn Thư',
          roles: ['operator'],
          unitCode: first.unit_code,
          password: '',
        },
        {
          email: 'congtacvien@gopy.local',
          fullName: first.full_name,
          roles: ['collaborator'],
          collaboratorKey: first.key,
          password: '',
        },
      );
    }
    for (const account of accounts) {
      await services.users.create({ ...account, password: services.demoPassword }, 'seed');
      logger.log(`demo login ${account.email} (${account.roles.join(', ')})`);
    }
  }
}
