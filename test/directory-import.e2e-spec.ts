import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { DirectoryImportService, readTableFile } from '@gopy/directory';
import { GopyHarness } from './utils/gopy-harness';
import { testConfig } from './utils/test-env';

describe('directory import and export', () => {
  let gopy: GopyHarness;
  let directory: DirectoryImportService;
  let dir: string;
  const topics = new Set(['hoi_dap', 'khac', 'tam_tu_du_luan']);
  const run = randomUUID().slice(0, 6).toUpperCase();
  const unitA = `A${run}`;
  const unitB = `B${run}`;

  beforeAll(async () => {
    gopy = new GopyHarness(testConfig());
    const app = await gopy.startApi();
    directory = app.get(DirectoryImportService);
    dir = await mkdtemp(join(tmpdir(), 'gopy-directory-'));
  });

  afterAll(() => gopy.stop());

  async function csv(name: string, lines: string[]): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, `\uFEFF${lines.join('\n')}\n`);
    return path;
  }

  async function collaboratorCount(prefix: string): Promise<number> {
    const { rows } = await gopy.db.query(`SELECT count(*)::int AS n FROM collaborators WHERE key LIKE $1`, [
      `${prefix}%`,
    ]);
    return rows[0].n;
  }

  it('imports units, then collaborators from CSV; re-import updates by key', async () => {
    const units = await readTableFile(
      await csv('units.csv', [
        'Mã đơn vị,Tên đơn vị,Email liên hệ',
        `${unitA},Chi bộ Sở Y tế,yte@example.vn`,
        `${unitB},Đảng bộ Sở Tài chính,`,
      ]),
    );
    expect(await directory.import('units', units, topics)).toMatchObject({ created: 2, updated: 0, errors: [] });

    const header = 'Mã,Họ tên,Email,Điện thoại,Đơn vị,Vai trò,Lĩnh vực,Sức chứa,Hoạt động,Nghỉ từ,Nghỉ đến';
    const first = await readTableFile(
      await csv('ctv.csv', [
        header,
        `K${run}1,Nguyễn Văn An,an@example.vn,0912345678,${unitA},Tuyên truyền viên,hoi_dap;khac,8,có,,`,
        `K${run}2,"Trần Thị Bình, tổ 3",binh@example.vn,,${unitB},du_luan_xa_hoi,tam_tu_du_luan,5,có,2026-12-01,2026-12-05`,
      ]),
    );
    const progress: number[] = [];
    expect(await directory.import('collaborators', first, topics, (done) => progress.push(done))).toMatchObject({
      created: 2,
      updated: 0,
      errors: [],
    });
    expect(progress).toEqual([1, 2]);

    const again = first.map((row) => ({ ...row, 'Sức chứa': '12' }));
    expect(await directory.import('collaborators', again, topics)).toMatchObject({ created: 0, updated: 2 });
    const { rows } = await gopy.db.query(
      `SELECT c.full_name, c.capacity, c.role, c.topics, (SELECT count(*)::int FROM collaborator_leaves l WHERE l.collaborator_id = c.id) AS leaves
         FROM collaborators c WHERE c.key LIKE $1 ORDER BY c.key`,
      [`K${run}%`],
    );
    expect(rows).toEqual([
      { full_name: 'Nguyễn Văn An', capacity: 12, role: 'tuyen_truyen_vien', topics: ['hoi_dap', 'khac'], leaves: 0 },
      { full_name: 'Trần Thị Bình, tổ 3', capacity: 12, role: 'du_luan_xa_hoi', topics: ['tam_tu_du_luan'], leaves: 1 },
    ]);

    const exported = await directory.export('collaborators');
    expect(exported.startsWith('\uFEFFma,ho_ten,email')).toBe(true);
    expect(exported).toContain(
      `K${run}2,"Trần Thị Bình, tổ 3",binh@example.vn,,${unitB},du_luan_xa_hoi,tam_tu_du_luan,12,co,2026-12-01,2026-12-05`,
    );
  });

  it('reports every bad row with its number and writes nothing', async () => {
    const rows = await readTableFile(
      await csv('bad.csv', [
        'ma,ho_ten,email,don_vi,vai_tro',
        `Z${run}1,Lê Văn Cường,cuong@example.vn,${unitA},bao_cao_vien`,
        `Z${run}2,,not-an-email,NOPE,bao_cao_vien`,
        `Z${run}1,Lê Văn Cường,cuong@example.vn,${unitA},thủ quỹ`,
      ]),
    );
    const report = await directory.import('collaborators', rows, topics);
    expect(report.created + report.updated).toBe(0);
    expect(report.errors.map((e) => `${e.row}:${e.column}:${e.code}`)).toEqual([
      '3:ho_ten:required',
      '3:email:invalid_email',
      '3:don_vi:unknown_unit',
      '4:vai_tro:unknown_role',
    ]);
    expect(await collaboratorCount(`Z${run}`)).toBe(0);
  });

  it('reads XLSX files', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Cộng tác viên');
    sheet.addRow(['Mã', 'Họ tên', 'Email', 'Đơn vị', 'Vai trò', 'Lĩnh vực']);
    sheet.addRow([`X${run}1`, 'Phạm Thị Dung', 'dung@example.vn', unitA, 'Báo cáo viên', 'hoi_dap']);
    const path = join(dir, 'ctv.xlsx');
    await workbook.xlsx.writeFile(path);
    const report = await directory.import('collaborators', await readTableFile(path), topics);
    expect(report).toMatchObject({ created: 1, errors: [] });
    expect(await collaboratorCount(`X${run}`)).toBe(1);
  });
});
