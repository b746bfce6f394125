import type { CollaboratorRole } from './rules/directory-rows';

// Realistic Vietnamese names for the demo directory: family name, middle name, given name.
const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Thanh', 'Hữu', 'Ngọc', 'Quốc', 'Thu', 'Đức', 'Hoài', 'Kim', 'Xuân'];
const GIVEN = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hiếu',
  'Hoa',
  'Hùng',
  'Hương',
  'Khánh',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Nga',
  'Nhung',
  'Phong',
  'Phương',
  'Quân',
  'Quỳnh',
  'Sơn',
  'Tâm',
  'Thảo',
  'Thắng',
  'Trang',
  'Trung',
  'Tuấn',
  'Uyên',
  'Việt',
  'Yến',
];

const TOPICS: Record<CollaboratorRole, string[]> = {
  tuyen_truyen_vien: ['gop_y_chinh_sach', 'phan_anh_kien_nghi', 'hoi_dap', 'khen_ngoi', 'khac'],
  du_luan_xa_hoi: ['tam_tu_du_luan', 'gop_y_chinh_sach', 'khac'],
  bao_cao_vien: ['gop_y_chinh_sach', 'hoi_dap'],
};

/** Demo collaborators as import rows, spread over `unitCodes` in turn. Deterministic. */
export function demoCollaborators(
  counts: Record<CollaboratorRole, number>,
  unitCodes: string[],
): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  let n = 0;
  for (const role of Object.keys(counts) as CollaboratorRole[]) {
    for (let i = 0; i < counts[role]; i++, n++) {
      const name = `${FAMILY[n % FAMILY.length]} ${MIDDLE[(n * 7) % MIDDLE.length]} ${GIVEN[(n * 11) % GIVEN.length]}`;
      rows.push({
        key: `CTV${String(n + 1).padStart(4, '0')}`,
        full_name: name.normalize('NFC'),
        email: `ctv${String(n + 1).padStart(4, '0')}@demo.gopy.localhost`,
        phone: `09${String(10_000_000 + ((n * 7919) % 89_999_999)).padStart(8, '0')}`,
        unit: unitCodes[n % unitCodes.length],
        role,
        topics: TOPICS[role].join(';'),
        capacity: String(5 + (n % 3) * 5),
        active: 'co',
      });
    }
  }
  return rows;
}
