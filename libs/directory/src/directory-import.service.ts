import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@gopy/audit';
import { RoutingService } from '@gopy/routing';
import { vietnamDay } from '@gopy/sla';
import { CollaboratorEntity } from './collaborator.entity';
import {
  CollaboratorRow,
  RowError,
  canonicalRow,
  checkCollaboratorRow,
  checkUnitRow,
  duplicateKeys,
} from './rules/directory-rows';
import { toCsv } from './table-file';
import { UnitEntity } from './unit.entity';
import { UnitsService } from './units.service';

export type DirectoryKind = 'units' | 'collaborators';

export interface ImportReport {
  kind: DirectoryKind;
  rows: number;
  created: number;
  updated: number;
  // Open cases handed back for routing because their collaborator is now inactive or on leave.
  released: number;
  errors: RowError[];
}

export type Progress = (done: number, total: number) => void;

/** Who runs an import or export, for the audit log. */
export interface DirectoryActor {
  actor: string;
  origin?: string;
}

const SEED: DirectoryActor = { actor: 'system' };

/**
 * Imports units or collaborators: every row is checked first and all errors are reported
 * with their row numbers; nothing is written unless every row is valid. Re-imports update
 * by the stable key (unit code, collaborator key).
 */
@Injectable()
export class DirectoryImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly routing: RoutingService,
    private readonly units: UnitsService,
  ) {}

  async import(
    kind: DirectoryKind,
    raw: Record<string, unknown>[],
    topics: Set<string>,
    progress: Progress = () => undefined,
    by: DirectoryActor = SEED,
  ): Promise<ImportReport> {
    const rows = raw.map(canonicalRow);
    return kind === 'units'
      ? this.importUnits(rows, progress, by)
      : this.importCollaborators(rows, topics, progress, by);
  }

  private async audited(manager: EntityManager, report: ImportReport, by: DirectoryActor): Promise<void> {
    await this.audit.record(
      {
        actor: by.actor,
        action: 'directory.import',
        origin: by.origin,
        detail: {
          kind: report.kind,
          rows: report.rows,
          created: report.created,
          updated: report.updated,
          released: report.released,
        },
      },
      manager,
    );
  }

  private async importUnits(
    rows: Record<string, string>[],
    progress: Progress,
    by: DirectoryActor,
  ): Promise<ImportReport> {
    const checked = rows.map((row, i) => checkUnitRow(row, i + 2));
    const values = checked.flatMap((c) => (c.value ? [c.value] : []));
    const errors = [
      ...checked.flatMap((c) => c.errors),
      ...duplicateKeys(
        values.map((v, i) => ({ key: v.code, row: i + 2 })),
        'ma_don_vi',
      ),
    ];
    const report: ImportReport = { kind: 'units', rows: rows.length, created: 0, updated: 0, released: 0, errors };
    if (errors.length > 0) return report;
    await this.dataSource.transaction(async (manager) => {
      for (const [index, unit] of values.entries()) {
        const result: { inserted: boolean }[] = await manager.query(
          `INSERT INTO units (id, code, name, lead_name, contact_email) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT ON CONSTRAINT uq_units_code
           DO UPDATE SET name = EXCLUDED.name, lead_name = EXCLUDED.lead_name, contact_email = EXCLUDED.contact_email,
             updated_at = now()
           RETURNING (xmax = 0) AS inserted`,
          [randomUUID(), unit.code, unit.name, unit.lead ?? null, unit.contactEmail ?? null],
        );
        if (result[0].inserted) report.created++;
        else report.updated++;
        progress(index + 1, values.length);
      }
      await this.audited(manager, report, by);
    });
    this.units.forget();
    return report;
  }

  private async importCollaborators(
    rows: Record<string, string>[],
    topics: Set<string>,
    progress: Progress,
    by: DirectoryActor,
  ): Promise<ImportReport> {
    const units = new Map(
      (await this.dataSource.getRepository(UnitEntity).find()).map((u) => [u.code.toUpperCase(), u.id]),
    );
    const known = { units: new Set(units.keys()), topics };
    const checked = rows.map((row, i) => ({ line: i + 2, ...checkCollaboratorRow(row, i + 2, known) }));
    const values = checked.flatMap((c) => (c.value ? [{ line: c.line, value: c.value }] : []));
    const errors = [
      ...checked.flatMap((c) => c.errors),
      ...duplicateKeys(
        values.map((v) => ({ key: v.value.key, row: v.line })),
        'ma',
      ),
    ].sort((a, b) => a.row - b.row);
    const report: ImportReport = {
      kind: 'collaborators',
      rows: rows.length,
      created: 0,
      updated: 0,
      released: 0,
      errors,
    };
    if (errors.length > 0) return report;
    await this.dataSource.transaction(async (manager) => {
      for (const [index, { value }] of values.entries()) {
        const id = await this.upsertCollaborator(manager, value, units.get(value.unitCode) as string, report);
        await manager.query(`DELETE FROM collaborator_leaves WHERE collaborator_id = $1`, [id]);
        if (value.leave) {
          await manager.query(
            `INSERT INTO collaborator_leaves (collaborator_id, starts_on, ends_on) VALUES ($1, $2, $3)`,
            [id, value.leave.startsOn, value.leave.endsOn],
          );
        }
        // Someone deactivated or on leave today hands their open cases back for routing.
        const today = vietnamDay(new Date());
        const away = value.leave && value.leave.startsOn <= today && today <= value.leave.endsOn;
        if (!value.active || away)
          report.released += (
            await this.routing.release(manager, id, value.active ? 'on leave' : 'deactivated', by.actor)
          ).length;
        progress(index + 1, values.length);
      }
      await this.audited(manager, report, by);
    });
    return report;
  }

  private async upsertCollaborator(
    manager: DataSource['manager'],
    row: CollaboratorRow,
    unitId: string,
    report: ImportReport,
  ): Promise<string> {
    const result: { id: string; inserted: boolean }[] = await manager.query(
      `INSERT INTO collaborators (id, key, full_name, email, phone, unit_id, role, topics, capacity, active)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT ON CONSTRAINT uq_collaborators_key DO UPDATE SET
         full_name = EXCLUDED.full_name, email = EXCLUDED.email, phone = EXCLUDED.phone, unit_id = EXCLUDED.unit_id,
         role = EXCLUDED.role, topics = EXCLUDED.topics, capacity = EXCLUDED.capacity, active = EXCLUDED.active,
         updated_at = now()
       RETURNING id, (xmax = 0) AS inserted`,
      [
        randomUUID(),
        row.key,
        row.fullName,
        row.email,
        row.phone ?? null,
        unitId,
        row.role,
        row.topics,
        row.capacity,
        row.active,
      ],
    );
    if (result[0].inserted) report.created++;
    else report.updated++;
    return result[0].id;
  }

  /** The directory as CSV, in the same columns the import reads. */
  async export(kind: DirectoryKind, by: DirectoryActor = SEED): Promise<string> {
    await this.audit.record({ actor: by.actor, action: 'directory.export', origin: by.origin, detail: { kind } });
    if (kind === 'units') {
      const units = await this.dataSource.query<
        { code: string; name: string; lead_name: string | null; contact_email: string | null }[]
      >(`SELECT code, name, lead_name, contact_email FROM units ORDER BY code`);
      return toCsv(
        ['ma_don_vi', 'ten_don_vi', 'lanh_dao', 'email_lien_he'],
        units.map((u) => [u.code, u.name, u.lead_name ?? '', u.contact_email ?? '']),
      );
    }
    const rows = await this.dataSource.query<
      (Pick<CollaboratorEntity, 'key' | 'email' | 'role' | 'topics' | 'capacity' | 'active'> & {
        full_name: string;
        phone: string | null;
        unit_code: string;
        starts_on: string | null;
        ends_on: string | null;
      })[]
    >(
      `SELECT c.key, c.full_name, c.email, c.phone, u.code AS unit_code, c.role, c.topics, c.capacity, c.active,
              to_char(l.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(l.ends_on, 'YYYY-MM-DD') AS ends_on
         FROM collaborators c JOIN units u ON u.id = c.unit_id
         LEFT JOIN LATERAL (SELECT starts_on, ends_on FROM collaborator_leaves WHERE collaborator_id = c.id
                            ORDER BY ends_on DESC LIMIT 1) l ON true
        ORDER BY c.key`,
    );
    return toCsv(
      [
        'ma',
        'ho_ten',
        'email',
        'dien_thoai',
        'don_vi',
        'vai_tro',
        'linh_vuc',
        'suc_chua',
        'hoat_dong',
        'nghi_tu',
        'nghi_den',
      ],
      rows.map((r) => [
        r.key,
        r.full_name,
        r.email,
        r.phone ?? '',
        r.unit_code,
        r.role,
        r.topics.join(';'),
        r.capacity,
        r.active ? 'co' : 'khong',
        r.starts_on ?? '',
        r.ends_on ?? '',
      ]),
    );
  }
}
