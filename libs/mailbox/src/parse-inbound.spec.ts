import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MalformedMailError, parseInbound, type ParsedInbound } from './parse-inbound';

const FIXTURES = join(__dirname, '../../../test/fixtures/mail');
const LIMITS = { maxBytes: 10 * 1024 * 1024, maxFiles: 5, attachmentMaxBytes: 5 * 1024 * 1024 };
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));
const parse = (name: string, limits = LIMITS): Promise<ParsedInbound> => parseInbound(fixture(name), limits);
const PERSONAL = { kind: 'personal', suppressReceipt: false, reason: 'no automatic-mail markers' };

// Bodies exactly as written by the senders (NFC), one constant per fixture.
const UTF8_PLAIN = `Kính gửi Ủy ban nhân dân phường Bến Thành,

Đoạn đường Lê Thánh Tôn từ ngã tư Pasteur đến chợ Bến Thành có nhiều ổ gà lớn, sâu khoảng 10 cm. Tối hôm qua một người đi xe máy đã bị ngã ở đây.

Đề nghị phường sớm cho trám vá mặt đường và đặt biển cảnh báo.

Trân trọng,
Nguyễn Văn An`;
const ALTERNATIVE_PLAIN = `Chào anh chị,

Cây xanh trước số nhà 27 đường Nguyễn Huệ bị nghiêng sau cơn bão tối qua, có nguy cơ đổ vào nhà dân.

Mong được xử lý gấp.
Đặng Minh Tuấn`;
const WINDOWS_1258 = `Kính gửi Ủy ban nhân dân quận Bình Thạnh,

Mỗi khi trời mưa lớn, đoạn đường Xô Viết Nghệ Tĩnh trước chợ Thị Nghè ngập sâu gần nửa mét. Xe máy chết máy hàng loạt, người dân phải lội nước về nhà.

Đề nghị quận sớm nạo vét cống thoát nước.

Nguyễn Thị Mai`;
const TCVN3 = `Kính gửi Uỷ ban nhân dân phường Trung Liệt,

Tôi là Trần Thị Bình, ở số 15 ngõ 42 phố Thái Hà. Đường ống nước trước cửa nhà tôi bị vỡ từ sáng thứ hai, nước chảy tràn ra đường, cả khu phố mất nước sinh hoạt.

Đề nghị công ty cấp nước cử người đến sửa chữa sớm.

Xin cảm ơn.`;
const VNI = `Kính gửi Ban quản lý khu phố 3,

Đèn chiếu sáng trên đường Nguyễn Văn Cừ đoạn gần trường tiểu học đã tắt hơn một tuần. Buổi tối học sinh đi học thêm về rất nguy hiểm.

Mong các anh chị kiểm tra và thay bóng đèn sớm.

Trân trọng,
Lê Hoàng Phúc`;
const BASE64 = `Xin chào,

Tiếng ồn từ quán karaoke ở số 88 đường Phan Đình Phùng kéo dài đến 1 giờ sáng mỗi đêm. Người già và trẻ nhỏ trong khu dân cư không ngủ được.

Kính đề nghị công an phường kiểm tra.
Võ Thị Lan`;
const WITH_ATTACHMENTS = `Kính gửi phường,

Tôi gửi kèm ảnh ổ gà và đơn kiến nghị có chữ ký của các hộ dân trong tổ 5.

Hoàng Văn Đức`;
const INLINE_IMAGE = `Nước thải từ xưởng giặt chảy thẳng ra kênh Nhiêu Lộc, xem ảnh bên dưới.

[ảnh]

Bùi Thanh Hà`;
const OUT_OF_OFFICE = `Tôi đang nghỉ phép đến hết ngày 25/11/2026 và sẽ trả lời thư của anh chị khi trở lại.

Việc gấp xin liên hệ văn phòng phường: 028 3822 0000.

Phạm Quốc Huy`;
const LIST_MAIL = `BẢN TIN PHƯỜNG BẾN NGHÉ - SỐ 47

Lịch cắt điện tuần này: thứ năm từ 8 giờ đến 12 giờ, khu vực đường Hai Bà Trưng.

Hủy đăng ký nhận bản tin: https://example.vn/huy-dang-ky`;
const DUPLICATE_A = `Cống thoát nước trước chợ Hòa Bình bị tắc, nước bẩn tràn lên vỉa hè.

Trịnh Văn Sơn`;
const DUPLICATE_B = `Cống thoát nước trước chợ Hòa Bình bị tắc, nước bẩn tràn lên vỉa hè. Tôi gửi lại vì lần trước quên ghi địa chỉ: số 3 đường Hòa Bình.

Trịnh Văn Sơn`;
const REPLY_TO_RECEIPT = `Cảm ơn anh chị đã tiếp nhận. Tôi bổ sung thêm: ổ gà nằm ngay trước số nhà 112.

Nguyễn Văn An

> Hòm thư góp ý đã nhận phản ánh của anh/chị.
> Mã theo dõi: XJEW4-3TRH2-ZTBNQ`;
const REPLY_BY_SUBJECT = `Đến hôm nay rác ở chợ Bà Chiểu vẫn chưa được dọn. Xin cho biết khi nào xử lý.

Lý Thu Trang`;

describe('parseInbound: fixtures', () => {
  it('utf8-plain.eml', async () => {
    const raw = fixture('utf8-plain.eml');
    const mail = await parseInbound(raw, LIMITS);
    expect(mail).toEqual({
      messageId: '<CAB7x2LpQ1.utf8plain@mail.example.vn>',
      from: { address: 'an.nguyen@example.vn', name: 'Nguyễn Văn An' },
      replyTo: null,
      subject: 'Phản ánh ổ gà trên đường Lê Thánh Tôn',
      text: UTF8_PLAIN,
      date: new Date('2026-11-16T01:30:00.000Z'),
      threading: { messageIds: [] },
      classification: PERSONAL,
      bouncedMessageIds: [],
      attachments: [],
      skippedAttachments: [],
      contentHash: createHash('sha256').update(raw).digest('hex'),
      oversized: false,
    });
  });

  it('utf8-html-only.eml: converts the HTML', async () => {
    const mail = await parse('utf8-html-only.eml');
    expect(mail.subject).toBe('Rác thải tồn đọng ở hẻm 51');
    expect(mail.from).toEqual({ address: 'hong.le@example.vn', name: 'Lê Thị Hồng' });
    expect(mail.text).toBe(
      [
        'Rác thải tồn đọng ở hẻm 51',
        '',
        'Kính gửi Ban quản lý khu phố 4,',
        '',
        'Rác trong hẻm 51 đường Trần Hưng Đạo đã ba ngày không được thu gom, bốc mùi rất khó chịu.',
        '',
        'Ảnh chụp hiện trường: xem ảnh [https://example.vn/anh/hem-51]',
        '',
        'Trân trọng,',
        'Lê Thị Hồng',
      ].join('\n'),
    );
    expect(mail.attachments).toEqual([]);
  });

  it('multipart-alternative.eml: takes the text/plain part', async () => {
    const mail = await parse('multipart-alternative.eml');
    expect(mail.text).toBe(ALTERNATIVE_PLAIN);
    expect(mail.subject).toBe('Cây xanh có nguy cơ đổ');
    expect(mail.from?.name).toBe('Đặng Minh Tuấn');
  });

  it('windows-1258.eml: body, subject and sender name come out NFC', async () => {
    const mail = await parse('windows-1258.eml');
    expect(mail.text).toBe(WINDOWS_1258);
    expect(mail.subject).toBe('Ngập nước đường Xô Viết Nghệ Tĩnh');
    expect(mail.from).toEqual({ address: 'mai.nguyen@example.vn', name: 'Nguyễn Thị Mai' });
    expect(mail.messageId).toBe('<000801d9a1b2$3c4d5e60$0a00a8c0@MAIPC>');
    for (const value of [mail.text, mail.subject]) expect(value).toBe(value.normalize('NFC'));
  });

  it('tcvn3-legacy.eml: TCVN3 bytes labelled windows-1252', async () => {
    const mail = await parse('tcvn3-legacy.eml');
    expect(mail.text).toBe(TCVN3);
    expect(mail.subject).toBe('Vỡ ống nước ở phố Thái Hà');
    expect(mail.from).toEqual({ address: 'binh.tran@example.vn', name: 'Trần Thị Bình' });
    expect(mail.classification).toEqual(PERSONAL);
  });

  it('vni-legacy.eml: VNI-Windows bytes labelled iso-8859-1, 8bit', async () => {
    const mail = await parse('vni-legacy.eml');
    expect(mail.text).toBe(VNI);
    expect(mail.subject).toBe('Đèn đường hỏng ở đường Nguyễn Văn Cừ');
    expect(mail.from).toEqual({ address: 'phuc.le@example.vn', name: 'Lê Hoàng Phúc' });
  });

  it('base64-body.eml: base64 NFD text comes out NFC', async () => {
    const mail = await parse('base64-body.eml');
    expect(mail.text).toBe(BASE64);
    expect(mail.subject).toBe('Tiếng ồn karaoke ban đêm');
    expect(mail.date).toEqual(new Date('2026-11-18T17:55:00.000Z'));
  });

  it('with-attachments.eml: a PNG with a Vietnamese RFC 2231 name and a PDF', async () => {
    const mail = await parse('with-attachments.eml');
    expect(mail.text).toBe(WITH_ATTACHMENTS);
    expect(mail.attachments.map(({ content, ...rest }) => ({ ...rest, size: content.length }))).toEqual([
      { filename: 'ổ gà.png', contentType: 'image/png', inline: false, size: 79 },
      { filename: 'don-kien-nghi.pdf', contentType: 'application/pdf', inline: false, size: 593 },
    ]);
    expect(mail.attachments[0].content.subarray(0, 8)).toEqual(Buffer.from('89504e470d0a1a0a', 'hex'));
    expect(mail.attachments[1].content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(mail.skippedAttachments).toEqual([]);
  });

  it('inline-image.eml: the cid image is an inline attachment', async () => {
    const mail = await parse('inline-image.eml');
    expect(mail.text).toBe(INLINE_IMAGE);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: 'anh-kenh.png', contentType: 'image/png', inline: true });
  });

  it('auto-reply-ooo.eml: an auto-reply to a receipt gets no receipt', async () => {
    const mail = await parse('auto-reply-ooo.eml');
    expect(mail.classification).toEqual({
      kind: 'auto_reply',
      suppressReceipt: true,
      reason: 'Auto-Submitted: auto-replied',
    });
    expect(mail.threading).toEqual({ messageIds: ['<receipt.00000000-0000-4000-8000-000000000002@gopy.test>'] });
    expect(mail.text).toBe(OUT_OF_OFFICE);
    expect(mail.subject).toBe('Trả lời tự động: Đã nhận phản ánh của anh chị');
  });

  it('list-mail.eml: list mail is bulk', async () => {
    const mail = await parse('list-mail.eml');
    expect(mail.classification).toEqual({ kind: 'bulk', suppressReceipt: true, reason: 'Precedence: list' });
    expect(mail.text).toBe(LIST_MAIL);
    expect(mail.from).toEqual({ address: 'bantin@lists.example.vn', name: 'Bản tin phường Bến Nghé' });
  });

  it('bounce-dsn.eml: a DSN names the returned message and carries no attachment', async () => {
    const mail = await parse('bounce-dsn.eml');
    expect(mail.classification).toEqual({
      kind: 'bounce',
      suppressReceipt: true,
      reason: 'multipart/report; report-type=delivery-status',
    });
    expect(mail.bouncedMessageIds).toEqual(['<response.00000000-0000-4000-8000-000000000001@gopy.test>']);
    expect(mail.from).toEqual({ address: 'mailer-daemon@mx.example.vn', name: 'Mail Delivery System' });
    expect(mail.messageId).toBe('<20261120021244.8C2D31A0042@mx.example.vn>');
    expect(mail.attachments).toEqual([]);
    expect(mail.skippedAttachments).toEqual([]);
    expect(mail.text.startsWith('Thư của bạn không thể gửi tới một hoặc nhiều người nhận.\n')).toBe(true);
    expect(mail.text).toContain('Status: 5.1.1');
  });

  it('malformed.eml: truncated binary garbage', async () => {
    await expect(parse('malformed.eml')).rejects.toThrow(MalformedMailError);
  });

  it('duplicate-id-a.eml and duplicate-id-b.eml: same Message-ID, different content', async () => {
    const [a, b] = await Promise.all([parse('duplicate-id-a.eml'), parse('duplicate-id-b.eml')]);
    expect(a.messageId).toBe('<CAF3k2Zq8x-duplicate@mail.example.vn>');
    expect(b.messageId).toBe(a.messageId);
    expect(a.text).toBe(DUPLICATE_A);
    expect(b.text).toBe(DUPLICATE_B);
    expect(a.contentHash).not.toBe(b.contentHash);
    expect(a.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reply-to-receipt.eml: In-Reply-To first, then References newest first', async () => {
    const mail = await parse('reply-to-receipt.eml');
    expect(mail.threading).toEqual({
      messageIds: [
        '<receipt.00000000-0000-4000-8000-000000000002@gopy.test>',
        '<CAB7x2LpQ1.utf8plain@mail.example.vn>',
      ],
    });
    expect(mail.replyTo).toBe('an.nguyen.work@example.vn');
    expect(mail.subject).toBe('Re: Đã nhận phản ánh của anh/chị');
    expect(mail.text).toBe(REPLY_TO_RECEIPT);
    expect(mail.classification).toEqual(PERSONAL);
  });

  it('reply-by-subject.eml: the tracking code in the subject', async () => {
    const mail = await parse('reply-by-subject.eml');
    expect(mail.threading).toEqual({ messageIds: [], trackingCode: 'XJEW43TRH2ZTBNQ' });
    expect(mail.subject).toBe('Re: [XJEW4-3TRH2-ZTBNQ] Phản ánh về rác thải ở chợ Bà Chiểu');
    expect(mail.text).toBe(REPLY_BY_SUBJECT);
  });
});

// Messages built on the fly.
const CRLF = '\r\n';
function message(headers: string[], body: string | Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(headers.join(CRLF) + CRLF + CRLF, 'latin1'),
    Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
  ]);
}
function withFiles(files: { name: string; bytes: Buffer }[]): Buffer {
  const parts = [
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Gửi kèm ảnh hiện trường.',
    ...files.flatMap((file) => [
      '--b1',
      `Content-Type: image/png; name="${file.name}"`,
      `Content-Disposition: attachment; filename="${file.name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      file.bytes.toString('base64').replace(/.{76}/g, `$&${CRLF}`),
    ]),
    '--b1--',
    '',
  ];
  return message(
    ['From: An <an@example.vn>', 'Subject: Ảnh', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"'],
    parts.join(CRLF),
  );
}

describe('parseInbound: limits', () => {
  it('flags an oversized message and does not decode its attachments', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const raw = withFiles([{ name: 'lon.png', bytes: big }]);
    const mail = await parseInbound(raw, { ...LIMITS, maxBytes: 1024 * 1024 });
    expect(mail.oversized).toBe(true);
    expect(mail.attachments).toEqual([]);
    expect(mail.skippedAttachments).toEqual([
      { filename: 'lon.png', contentType: 'image/png', size: big.length, reason: 'message_too_large' },
    ]);
    expect(mail.text).toBe('Gửi kèm ảnh hiện trường.');
    expect(mail.contentHash).toBe(createHash('sha256').update(raw).digest('hex'));
  });

  it('is not oversized at exactly maxBytes', async () => {
    const raw = withFiles([]);
    expect((await parseInbound(raw, { ...LIMITS, maxBytes: raw.length })).oversized).toBe(false);
    expect((await parseInbound(raw, { ...LIMITS, maxBytes: raw.length - 1 })).oversized).toBe(true);
  });

  it('keeps at most maxFiles attachments within attachmentMaxBytes, and says which it left out', async () => {
    const files = [
      { name: 'a.png', bytes: Buffer.alloc(100, 1) },
      { name: 'b.png', bytes: Buffer.alloc(5000, 2) },
      { name: 'c.png', bytes: Buffer.alloc(100, 3) },
      { name: 'd.png', bytes: Buffer.alloc(100, 4) },
    ];
    const mail = await parseInbound(withFiles(files), { maxBytes: 1024 * 1024, maxFiles: 3, attachmentMaxBytes: 1000 });
    expect(mail.attachments.map((file) => [file.filename, file.content])).toEqual([
      ['a.png', files[0].bytes],
      ['c.png', files[2].bytes],
    ]);
    expect(mail.skippedAttachments).toEqual([
      { filename: 'b.png', contentType: 'image/png', size: 5000, reason: 'too_large' },
      { filename: 'd.png', contentType: 'image/png', size: 100, reason: 'too_many' },
    ]);
  });
});

describe('parseInbound: edge cases', () => {
  it('refuses empty input, headerless text and binary headers', async () => {
    await expect(parseInbound(Buffer.alloc(0), LIMITS)).rejects.toThrow(MalformedMailError);
    await expect(parseInbound(Buffer.from('Xin chào, đây không phải là thư.\r\n'), LIMITS)).rejects.toThrow(
      'message does not start with a header field',
    );
    await expect(
      parseInbound(Buffer.from('From: a@example.vn\r\nSubj\u0000ect: x\r\n\r\nbody', 'latin1'), LIMITS),
    ).rejects.toThrow(MalformedMailError);
    await expect(parseInbound(Buffer.from('X-Foo: 1\r\nX-Bar: 2\r\n\r\nbody'), LIMITS)).rejects.toThrow(
      MalformedMailError,
    );
  });

  it('accepts a minimal message: no subject, no date, no Message-ID', async () => {
    const mail = await parseInbound(message(['From: an@example.vn'], 'Đường ngập.'), LIMITS);
    expect(mail).toMatchObject({ messageId: null, subject: '', date: null, text: 'Đường ngập.', replyTo: null });
    expect(mail.from).toEqual({ address: 'an@example.vn', name: '' });
  });

  it('turns an unreadable Date into null', async () => {
    const mail = await parseInbound(message(['From: an@example.vn', 'Date: hôm qua'], 'x'), LIMITS);
    expect(mail.date).toBeNull();
  });

  it('reads TCVN3 HTML labelled windows-1252', async () => {
    // <p>§Ìn ®­êng háng</p> in TCVN3 = "Đèn đường hỏng"
    const body = Buffer.concat([
      Buffer.from('<p>'),
      Buffer.from('a7cc6e20aead ea6e67 2068e16e67'.replace(/ /g, ''), 'hex'),
      Buffer.from('</p>'),
    ]);
    const mail = await parseInbound(
      message(['From: an@example.vn', 'Content-Type: text/html; charset=windows-1252'], body),
      LIMITS,
    );
    expect(mail.text).toBe('Đèn đường hỏng');
  });

  it('keeps Western windows-1252 text as it is', async () => {
    const mail = await parseInbound(
      message(
        ['From: an@example.vn', 'Content-Type: text/plain; charset=windows-1252'],
        Buffer.from('Café à Noël, résumé.', 'latin1'),
      ),
      LIMITS,
    );
    expect(mail.text).toBe('Café à Noël, résumé.');
  });
});
