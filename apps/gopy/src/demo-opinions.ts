// A few realistic opinions for the demo desk; none carries real personal data.
export const DEMO_OPINIONS = [
  {
    topic: 'phan_anh_kien_nghi',
    subject: 'Đường liên xã xuống cấp sau mùa mưa',
    body: 'Đoạn đường từ trụ sở xã ra quốc lộ có nhiều ổ gà, trời mưa ngập sâu, học sinh đi lại rất nguy hiểm. Đề nghị sớm sửa chữa trước năm học mới.',
  },
  {
    topic: 'gop_y_chinh_sach',
    subject: 'Góp ý dự thảo quy chế tiếp công dân',
    body: 'Dự thảo nên quy định rõ thời hạn trả lời bằng văn bản và công khai lịch tiếp công dân của lãnh đạo trên cổng thông tin để người dân chủ động sắp xếp.',
  },
  {
    topic: 'hoi_dap',
    subject: 'Hỏi về thủ tục chuyển sinh hoạt đảng tạm thời',
    body: 'Tôi chuyển công tác sang đơn vị mới trong 6 tháng. Xin hỏi hồ sơ chuyển sinh hoạt đảng tạm thời gồm những gì và nộp ở đâu?',
  },
  {
    topic: 'tam_tu_du_luan',
    subject: 'Người lao động lo lắng về sắp xếp tổ chức bộ máy',
    body: 'Nhiều anh chị em ở cơ sở băn khoăn về chế độ khi sắp xếp, tinh gọn bộ máy. Đề nghị tổ chức đối thoại, thông tin rõ lộ trình để ổn định tư tưởng.',
  },
  {
    topic: 'khen_ngoi',
    subject: 'Biểu dương tổ một cửa phường',
    body: 'Tổ tiếp nhận hồ sơ một cửa làm việc tận tình, hướng dẫn chu đáo, trả kết quả đúng hẹn. Đề nghị biểu dương để nhân rộng.',
  },
  {
    topic: 'phan_anh_kien_nghi',
    subject: 'Rác thải tồn đọng ở chợ đầu mối',
    body: 'Khu vực cổng sau chợ đầu mối rác thải tồn đọng nhiều ngày, bốc mùi, ảnh hưởng sức khoẻ người dân xung quanh. Mong được thu gom thường xuyên hơn.',
  },
  {
    topic: 'hoi_dap',
    subject: 'Lịch học nghị quyết mới cho đảng viên',
    body: 'Xin hỏi lịch học tập, quán triệt nghị quyết mới của chi bộ cơ sở được thông báo khi nào và có tổ chức học trực tuyến không?',
  },
  {
    topic: 'tam_tu_du_luan',
    subject: 'Dư luận về giá điện tăng',
    body: 'Trong khu dân cư nhiều người bàn tán về hóa đơn tiền điện tháng này tăng cao bất thường. Đề nghị ngành điện giải thích rõ cách tính.',
  },
] as const;
