import type { LoggerService } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { demoUnits } from '@gopy/directory';
import { CreateSubmissionDto, IntakeService } from '@gopy/intake';
import { DEMO_OPINIONS } from './demo-opinions';

const DEMO_UNIT_COUNT = 71;

/**
 * Seeds the demo on first run: the units and a handful of opinions sent through the real
 * intake path (so they have outbox rows, events and codes like any other case).
 * Does nothing once cases exist.
 */
export async function seedDemo(dataSource: DataSource, intake: IntakeService, logger: LoggerService): Promise<void> {
  const [{ count }] = await dataSource.query<{ count: number }[]>('SELECT count(*)::int AS count FROM cases');
  if (count > 0) {
    logger.log('demo seed skipped: cases already exist');
    return;
  }
  for (const unit of demoUnits(DEMO_UNIT_COUNT)) {
    await dataSource.query(
      'INSERT INTO units (id, code, name) VALUES (gen_random_uuid(), $1, $2) ON CONFLICT ON CONSTRAINT uq_units_code DO NOTHING',
      [unit.code, unit.name],
    );
  }
  for (const [index, opinion] of DEMO_OPINIONS.entries()) {
    const dto = Object.assign(new CreateSubmissionDto(), {
      ...opinion,
      unitCode: `DV${String((index % DEMO_UNIT_COUNT) + 1).padStart(2, '0')}`,
      anonymous: true,
    });
    const { receipt } = await intake.submit({ channel: 'web', language: 'vi', dto, files: [] });
    logger.log(`demo case ${receipt.trackingCode}: ${opinion.subject}`);
  }
  logger.log(`demo seed: ${DEMO_UNIT_COUNT} units, ${DEMO_OPINIONS.length} cases`);
}
