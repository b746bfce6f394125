import type { LoggerService } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DirectoryImportService, demoCollaborators, demoUnits } from '@gopy/directory';
import { CreateSubmissionDto, IntakeService } from '@gopy/intake';
import { DEMO_OPINIONS } from './demo-opinions';

// The demo organisation: a provincial bloc of 71 grassroots units. Demo data only; nothing
// else in gopy depends on these numbers.
const DEMO_UNIT_COUNT = 71;
const DEMO_COLLABORATORS = { tuyen_truyen_vien: 388, du_luan_xa_hoi: 103, bao_cao_vien: 94 };

async function isEmpty(dataSource: DataSource, table: 'units' | 'collaborators' | 'cases'): Promise<boolean> {
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
  services: { intake: IntakeService; directory: DirectoryImportService; topics: Set<string> },
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
}
