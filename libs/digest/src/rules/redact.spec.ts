import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { excerpt, redactByCues, redactPersonalData } from './redact';

const corpus = JSON.parse(
  readFileSync(join(__dirname, '../../../../test/fixtures/hot-issues/corpus.json'), 'utf8'),
) as { items: { id: string; text: string; personal?: string[] }[] };

const digits = (value: string) => value.replace(/\D/g, '');

describe('redactPersonalData on the corpus', () => {
  const marked = corpus.items.filter((it) => it.personal?.length);

  it('has opinions with personal data to test', () => {
    expect(marked.length).toBeGreaterThanOrEqual(12);
  });

  it.each(marked.map((it) => [it.id, it] as const))('removes every marked datum from %s', (_id, item) => {
    const redacted = redactPersonalData(item.text);
    for (const datum of item.personal!) {
      expect(redacted).not.toContain(datum);
      if (digits(datum).length >= 8) expect(digits(redacted)).not.toContain(digits(datum));
    }
  });

  it('leaves unmarked opinions readable with the cue-based pass: places and numbers that are not personal stay', () => {
    const unchanged = corpus.items.filter((it) => !it.personal && redactByCues(it.text) !== it.text);
    expect(unchanged.map((it) => [it.text, redactByCues(it.text)])).toEqual([]);
  });
});

describe('redactPersonalData', () => {
  it.each([
    ['Liên hệ nguyen.van.a@gmail.com nhé', 'Liên hệ [email] nhé'],
    ['SĐT 0912345678.', 'SĐT [số điện thoại].'],
    [
      'gọi 0912 345 678 hoặc 0912.345.678 hoặc 0912-345-678',
      'gọi [số điện thoại] hoặc [số điện thoại] hoặc [số điện thoại]',
    ],
    ['số +84 912 345 678, (+84) 912345678, 84912345678', 'số [số điện thoại], [số điện thoại], [số điện thoại]'],
    ['bàn (024) 3825 1234', 'bàn [số điện thoại]'],
    ['CCCD số 001203004567 cấp năm 2021', 'CCCD số [số giấy tờ] cấp năm 2021'],
    ['Nhà tôi ở số nhà 12 ngõ 5 phố Huế, phường Hai Bà Trưng', 'Nhà tôi ở [địa chỉ], phường Hai Bà Trưng'],
    ['nha toi o so 9 ngach 15/2 ngo 15 pho Mai Dich', 'nha toi o [địa chỉ]'],
    ['Địa chỉ: 45 Trần Phú, Ba Đình. Xin cảm ơn', 'Địa chỉ: [địa chỉ]. Xin cảm ơn'],
    ['Tôi là Nguyễn Văn An, nhà ở 12/3 hẻm 45 Lê Văn Sỹ', 'Tôi là [tên], nhà ở [địa chỉ]'],
    ['tên tôi là Hoa, tôi là phụ huynh', 'tên tôi là [tên], tôi là phụ huynh'],
    ['Họ và tên: tran thi b', 'Họ và tên: [tên]'],
    ['Chị Vũ Thị Mai và ông Tạ Văn Lộc cùng ký', 'Chị [tên] và ông [tên] cùng ký'],
    ['Trân trọng,\nLê Minh Châu', 'Trân trọng,\n[tên]'],
    ['gặp Phạm Quốc Bảo ở chợ', 'gặp [tên] ở chợ'],
  ])('%s', (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected);
  });

  it.each([
    'Đèn đường ngõ 68 hỏng, tuyến xe buýt số 12 bỏ chuyến',
    'Trường THCS Lê Quý Đôn, đường Nguyễn Thị Minh Khai, phố Bà Triệu, kênh Bà Lài, chợ Bà Chiểu',
    'đền Hai Bà Trưng, bà con lối xóm, anh em trong tổ',
    'Hóa đơn 1.500.000 đồng ngày 01.06.2025, tháng 5 đường Tô Hiệu ngập, mất 3 ngày',
    'học phí 500k, quỹ 1 triệu/hs, giảm trừ 11 triệu đồng/tháng',
  ])('keeps %s', (input) => {
    expect(redactPersonalData(input)).toBe(input);
  });

  it('never lets canaries through, with or without diacritics and in NFD', () => {
    const canary =
      'Tôi là Nguyễn Thị Canary, email canary.bird@example.vn, sđt 0988 777 666, nhà số 99 ngõ 7 đường Láng.';
    for (const text of [canary, canary.normalize('NFD'), canary.normalize('NFD').replace(/[\u0300-\u036f]/g, '')]) {
      const out = redactPersonalData(text);
      expect(out).not.toMatch(/canary/i);
      expect(digits(out)).not.toContain('0988777666');
      expect(out).not.toMatch(/\b99\b/);
    }
  });
});

describe('excerpt', () => {
  it('keeps short texts, collapsing whitespace', () => {
    expect(excerpt('  a\n\n b  ')).toBe('a b');
  });

  it('cuts long texts at a word boundary with an ellipsis, never inside a placeholder', () => {
    const text = `${'chữ '.repeat(60)}end`;
    const out = excerpt(text, 50);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out.endsWith('chữ…')).toBe(true);
    const withPlaceholder = excerpt(`${'a'.repeat(40)} gọi [số điện thoại] ngay`, 50);
    expect(withPlaceholder).toBe(`${'a'.repeat(40)} gọi…`);
  });
});

describe('the strict pass for digests', () => {
  it('removes a name with no cue, a house address, a phone and an email', () => {
    const out = redactPersonalData(
      'Liên hệ Kiểm Thử Canary, 0987 654 321, canary.digest@example.vn, số 99 ngõ Canary. Cảm ơn.',
    );
    for (const leaked of ['Kiểm', 'Canary', '0987', '@']) expect(out).not.toContain(leaked);
    expect(out).toContain('Liên hệ');
    expect(out).toContain('Cảm ơn.');
  });

  it('keeps places named after a place word, and sentence starts', () => {
    const out = redactPersonalData('Đường Trần Hưng Đạo có nhiều ổ gà. Chợ Bến Thành thì ngập nước.');
    expect(out).toBe('Đường Trần Hưng Đạo có nhiều ổ gà. Chợ Bến Thành thì ngập nước.');
  });
});
