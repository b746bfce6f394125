export { DirectoryModule } from './directory.module';
export { UnitEntity } from './unit.entity';
export { UnitsService } from './units.service';
export type { UnitOption } from './units.service';
export { demoUnits } from './demo-units';
