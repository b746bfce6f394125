// Demo units: realistic names of grassroots party organisations of a provincial bloc.
const KINDS = [
  'Chi bộ Sở',
  'Đảng bộ Sở',
  'Chi bộ Ban',
  'Đảng bộ Công ty',
  'Chi bộ Trường',
  'Đảng bộ Bệnh viện',
  'Chi bộ Trung tâm',
];
const NAMES = [
  'Tài chính', 'Kế hoạch và Đầu tư', 'Xây dựng', 'Giao thông vận tải', 'Nông nghiệp và Môi trường',
  'Y tế', 'Giáo dục và Đào tạo', 'Văn hoá, Thể thao và Du lịch', 'Khoa học và Công nghệ', 'Nội vụ',
  'Tư pháp', 'Công Thương', 'Lao động', 'Dân tộc', 'Thanh tra', 'Điện lực', 'Cấp nước', 'Môi trường đô thị',
  'Đa khoa tỉnh', 'Chính trị tỉnh', 'Phát thanh và Truyền hình', 'Xúc tiến đầu tư', 'Quản lý dự án',
  'Bảo hiểm xã hội', 'Kho bạc', 'Thuế', 'Hải quan', 'Ngân hàng', 'Thống kê', 'Lưu trữ',
  'Phục hồi chức năng', 'Kiểm soát bệnh tật', 'Cao đẳng Y tế', 'Cao đẳng Nghề', 'Dịch vụ việc làm',
  'Công viên cây xanh', 'Xổ số kiến thiết', 'Cảng vụ', 'Đăng kiểm', 'Quy hoạch', 'Địa chính',
  'Khuyến nông', 'Thủy lợi', 'Kiểm lâm', 'Thú y', 'Giống cây trồng', 'Nước sạch nông thôn', 'Báo tỉnh',
  'Hội Nông dân', 'Liên đoàn Lao động', 'Tỉnh đoàn', 'Hội Liên hiệp Phụ nữ', 'Mặt trận Tổ quốc',
  'Hội Cựu chiến binh', 'Trợ giúp pháp lý', 'Công chứng', 'Đấu giá tài sản', 'Phát triển quỹ đất',
  'Công nghệ thông tin', 'Hành chính công', 'Văn phòng UBND', 'Văn phòng Tỉnh ủy', 'Nhà văn hoá',
  'Thư viện', 'Bảo tàng', 'Thể dục thể thao', 'Nghệ thuật truyền thống', 'Du lịch', 'Xe buýt',
  'Vận tải thủy', 'Bến xe',
];

/** `count` demo units with stable codes DV01, DV02, ... */
export function demoUnits(count: number): { code: string; name: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    code: `DV${String(i + 1).padStart(2, '0')}`,
    name: `${KINDS[i % KINDS.length]} ${NAMES[i % NAMES.length]}`.normalize('NFC'),
  }));
}
