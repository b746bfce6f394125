import { htmlToPlainText } from './html-text';

describe('htmlToPlainText', () => {
  it('keeps text and links, drops images, scripts and styles, keeps heading case', () => {
    const html = `<html><head><title>Phản ánh</title><style>p{color:red}</style></head><body>
      <script>alert("x")</script>
      <h1>Đèn đường hỏng</h1>
      <p>Xin chào&nbsp;anh chị, đèn <b>hỏng</b> đã <i>hai tuần</i>.</p>
      <p><img src="cid:anh1" alt="ảnh hiện trường"></p>
      <p>Ảnh: <a href="https://example.vn/anh/1">xem ảnh</a>, trang <a href="https://example.vn">https://example.vn</a></p>
      <p></p><p></p><div><br><br><br><br></div>
      <p>Trân trọng</p></body></html>`;
    expect(htmlToPlainText(html)).toBe(
      [
        'Đèn đường hỏng',
        '',
        'Xin chào anh chị, đèn hỏng đã hai tuần.',
        '',
        'Ảnh: xem ảnh [https://example.vn/anh/1], trang https://example.vn',
        '',
        'Trân trọng',
      ].join('\n'),
    );
  });

  it('returns NFC text for NFD input and keeps table cells apart', () => {
    const html = '<table><tr><th>Ngày</th><th>Nội dung</th></tr><tr><td>18/11</td><td>Ngập nước</td></tr></table>';
    const text = htmlToPlainText(html.normalize('NFD'));
    expect(text).toBe(text.normalize('NFC'));
    expect(text.split('\n').map((line) => line.split(/\s{2,}/))).toEqual([
      ['Ngày', 'Nội dung'],
      ['18/11', 'Ngập nước'],
    ]);
  });
});
