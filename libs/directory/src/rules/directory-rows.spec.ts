import { canonicalRow, checkCollaboratorRow, checkUnitRow, duplicateKeys } from './directory-rows';

const known = { units: new Set(['DV01']), topics: new Set(['hoi_dap', 'khac']) };

describe('directory rows', () => {
  it('read Vietnamese and English headers alike', () => {
    expect(
      canonicalRow({ Mã: 'CTV1', 'Họ tên': ' Lê Thị Hoa ', 'Đơn vị': 'dv01', 'Vai trò': 'Tuyên truyền viên' }),
    ).toEqual({
      key: 'CTV1',
      fullName: 'Lê Thị Hoa',
      unitCode: 'dv01',
      role: 'Tuyên truyền viên',
    });
    expect(canonicalRow({ full_name: 'A', role: 'bao_cao_vien' })).toEqual({ fullName: 'A', role: 'bao_cao_vien' });
  });

  it('accept a complete collaborator, roles written in Vietnamese', () => {
    const row = canonicalRow({
      ma: 'CTV1',
      ho_ten: 'Lê Thị Hoa',
      email: 'Hoa@Example.vn',
      don_vi: 'dv01',
      vai_tro: 'Dư luận xã hội',
      linh_vuc: 'hoi_dap; khac',
      suc_chua: '8',
      hoat_dong: 'có',
      nghi_tu: '2026-12-01',
      nghi_den: '2026-12-10',
    });
    expect(checkCollaboratorRow(row, 2, known)).toEqual({
      errors: [],
      value: {
        key: 'CTV1',
        fullName: 'Lê Thị Hoa',
        email: 'hoa@example.vn',
        phone: undefined,
        unitCode: 'DV01',
        role: 'du_luan_xa_hoi',
        topics: ['hoi_dap', 'khac'],
        capacity: 8,
        active: true,
        leave: { startsOn: '2026-12-01', endsOn: '2026-12-10' },
      },
    });
  });

  it('report every problem of a row with its row number and column', () => {
    const row = canonicalRow({
      ma: '',
      email: 'x',
      don_vi: 'DV99',
      vai_tro: 'giám đốc',
      linh_vuc: 'nope',
      suc_chua: '-1',
      nghi_tu: '2026-12-10',
      nghi_den: '2026-12-01',
    });
    const { errors, value } = checkCollaboratorRow(row, 7, known);
    expect(value).toBeUndefined();
    expect(errors.map((e) => `${e.row}:${e.column}:${e.code}`)).toEqual([
      '7:ma:invalid_code',
      '7:ho_ten:required',
      '7:email:invalid_email',
      '7:don_vi:unknown_unit',
      '7:vai_tro:unknown_role',
      '7:linh_vuc:unknown_topic',
      '7:suc_chua:invalid_capacity',
      '7:nghi_tu:invalid_leave',
    ]);
  });

  it('check unit rows and repeated keys', () => {
    expect(checkUnitRow(canonicalRow({ ma_don_vi: 'dv05', ten_don_vi: 'Chi bộ Sở Y tế' }), 2).value).toEqual({
      code: 'DV05',
      name: 'Chi bộ Sở Y tế',
      contactEmail: undefined,
    });
    expect(checkUnitRow(canonicalRow({ ma_don_vi: 'a b' }), 3).errors.map((e) => e.code)).toEqual([
      'invalid_code',
      'required',
    ]);
    expect(
      duplicateKeys(
        [
          { key: 'a', row: 2 },
          { key: 'A', row: 5 },
        ],
        'ma',
      ),
    ).toEqual([{ row: 5, column: 'ma', code: 'duplicate_key' }]);
  });
});
