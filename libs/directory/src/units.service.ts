import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UnitEntity } from './unit.entity';

export interface UnitOption {
  id: string;
  code: string;
  name: string;
}

const CACHE_MS = 30_000;

/** Active units, as the public form lists them; cached briefly, the list rarely changes. */
@Injectable()
export class UnitsService {
  private cache?: { at: number; units: UnitOption[] };

  constructor(@InjectRepository(UnitEntity) private readonly units: Repository<UnitEntity>) {}

  async activeUnits(): Promise<UnitOption[]> {
    if (this.cache && Date.now() - this.cache.at < CACHE_MS) return this.cache.units;
    const rows = await this.units.find({ where: { active: true }, order: { code: 'ASC' } });
    const units = rows.map(({ id, code, name }) => ({ id, code, name }));
    this.cache = { at: Date.now(), units };
    return units;
  }

  /** Forget the cached list (after an import), so new units are usable at once. */
  forget(): void {
    this.cache = undefined;
  }

  async findActiveByCode(code: string): Promise<UnitOption | undefined> {
    return (await this.activeUnits()).find((u) => u.code === code);
  }
}
