import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '@gopy/audit';
import { DirectoryImportService } from '@gopy/directory';
import { GopyHarness } from './utils/gopy-harness';
import { testConfig } from './utils/test-env';

describe('audit log and timeline are append-only', () => {
  let gopy: GopyHarness;
  let dataSource: DataSource;

  beforeAll(async () => {
    gopy = new GopyHarness(testConfig());
    const app = await gopy.startApi();
    // The application's own connection and role, not a test superuser session.
    dataSource = app.get(DataSource);
  });

  afterAll(() => gopy.stop());

  it('records directory imports and exports with who, what and from where', async () => {
    const code = `AU${randomUUID().slice(0, 6).toUpperCase()}`;
    const directory = gopy.api!.get(DirectoryImportService);
    await directory.import('units', [{ ma_don_vi: code, ten_don_vi: 'Chi bộ kiểm toán' }], new Set(), undefined, {
      actor: 'cli',
      origin: 'may-chu-1',
    });
    await directory.export('units', { actor: 'cli', origin: 'may-chu-1' });
    const { rows } = await gopy.db.query(
      `SELECT actor, action, origin, detail FROM audit_log WHERE origin = 'may-chu-1' ORDER BY id DESC LIMIT 2`,
    );
    expect(rows).toEqual([
      { actor: 'cli', action: 'directory.export', origin: 'may-chu-1', detail: { kind: 'units' } },
      {
        actor: 'cli',
        action: 'directory.import',
        origin: 'may-chu-1',
        detail: { kind: 'units', rows: 1, created: 1, updated: 0, released: 0 },
      },
    ]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the audit log', async () => {
    await gopy
      .api!.get(AuditService)
      .record({ actor: 'system', action: 'case.exported', detail: { marker: 'append-only' } });
    const [{ id }] = await dataSource.query<{ id: string }[]>(`SELECT max(id) AS id FROM audit_log`);
    await expect(dataSource.query(`UPDATE audit_log SET actor = 'someone-else' WHERE id = $1`, [id])).rejects.toThrow(
      /append-only/,
    );
    await expect(dataSource.query(`DELETE FROM audit_log WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`TRUNCATE audit_log CASCADE`)).rejects.toThrow(/append-only/);
    const [{ actor }] = await dataSource.query<{ actor: string }[]>(`SELECT actor FROM audit_log WHERE id = $1`, [id]);
    expect(actor).toBe('system');
  });

  it('refuses rewriting a case timeline', async () => {
    const created = await gopy.inject({
      method: 'POST',
      url: '/api/v1/submissions',
      payload: { topic: 'khac', subject: 'Dòng thời gian', body: 'Không ai được sửa lịch sử hồ sơ.', anonymous: true },
    });
    expect(created.statusCode).toBe(201);
    const [{ id }] = await dataSource.query<{ id: string }[]>(`SELECT max(id) AS id FROM case_events`);
    await expect(dataSource.query(`UPDATE case_events SET type = 'closed' WHERE id = $1`, [id])).rejects.toThrow(
      /append-only/,
    );
    await expect(dataSource.query(`DELETE FROM case_events WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`TRUNCATE case_events CASCADE`)).rejects.toThrow(/append-only/);
  });
});
