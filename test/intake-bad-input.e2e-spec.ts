import { randomUUID } from 'node:crypto';
import { GopyHarness } from './utils/gopy-harness';
import { TINY_PNG } from './utils/multipart';
import { testConfig } from './utils/test-env';

describe('bad input through the JSON API is refused clearly and stores nothing', () => {
  let gopy: GopyHarness;
  const valid = () => ({
    topic: 'phan_anh_kien_nghi',
    subject: `Cống thoát nước bị tắc ${randomUUID().slice(0, 8)}`,
    body: 'Cống thoát nước đầu ngõ 12 bị tắc, mỗi lần mưa nước tràn vào nhà dân.',
    anonymous: true,
  });

  beforeAll(async () => {
    gopy = new GopyHarness(
      testConfig({ BODY_MAX_BYTES: '200000', ATTACHMENT_MAX_BYTES: '4096', ATTACHMENT_MAX_FILES: '2' }),
    );
    await gopy.startApi();
  });

  afterAll(() => gopy.stop());

  async function storedWithSubject(subject: string): Promise<number> {
    const { rows } = await gopy.db.query('SELECT count(*)::int AS n FROM cases WHERE subject = $1', [subject]);
    return rows[0].n;
  }

  async function post(payload: unknown, headers: Record<string, string> = {}) {
    return gopy.inject({ method: 'POST', url: '/api/v1/submissions', payload: payload as object, headers });
  }

  it('names every missing field in Vietnamese by default', async () => {
    const response = await post({});
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({
      statusCode: 422,
      error: 'validation_failed',
      message: 'Dữ liệu gửi lên chưa hợp lệ.',
      fields: {
        topic: 'Vui lòng chọn lĩnh vực.',
        subject: 'Vui lòng nhập tiêu đề.',
        body: 'Vui lòng nhập nội dung góp ý.',
        anonymous: 'Vui lòng chọn cách gửi.',
      },
    });
  });

  it('answers in English when asked', async () => {
    const response = await post({ ...valid(), subject: 'abc' }, { 'accept-language': 'en-US,en;q=0.9' });
    expect(response.statusCode).toBe(422);
    expect(response.json().fields).toEqual({ subject: 'Subject needs at least 5 characters.' });
  });

  it('refuses unknown fields, unknown topics and units, bad emails and phones', async () => {
    const input = {
      ...valid(),
      anonymous: false,
      isAdmin: true,
      topic: 'nope',
      unitCode: 'XX99',
      email: 'a@',
      phone: '12345',
      consent: true,
    };
    const response = await post(input);
    expect(response.statusCode).toBe(422);
    expect(Object.keys(response.json().fields).sort()).toEqual(
      ['email', 'isAdmin', 'phone', 'topic', 'unitCode'].sort(),
    );
    expect(await storedWithSubject(input.subject)).toBe(0);
  });

  it('enforces the anonymous choice and consent', async () => {
    const withContact = { ...valid(), anonymous: true, email: 'dan@example.vn' };
    expect((await post(withContact)).json().fields).toEqual({
      anonymous:
        'Bạn đã chọn gửi ẩn danh nhưng vẫn ghi thông tin liên hệ. Hãy xoá thông tin liên hệ hoặc chọn để lại thông tin.',
    });
    const noConsent = { ...valid(), anonymous: false, email: 'dan@example.vn' };
    expect((await post(noConsent)).json().fields).toEqual({
      consent: 'Vui lòng đánh dấu đồng ý để chúng tôi được dùng thông tin liên hệ, hoặc chọn gửi ẩn danh.',
    });
    const noContact = { ...valid(), anonymous: false, consent: true };
    expect(Object.keys((await post(noContact)).json().fields)).toEqual(['email']);
    for (const input of [withContact, noConsent, noContact]) expect(await storedWithSubject(input.subject)).toBe(0);
  });

  it('refuses an oversized body with 413', async () => {
    const input = { ...valid(), body: 'a'.repeat(250_000) };
    const response = await post(input);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: 'payload_too_large', message: 'Dữ liệu gửi lên quá lớn.' });
    expect(await storedWithSubject(input.subject)).toBe(0);
  });

  it('refuses other content types with 415, malformed JSON and invalid UTF-8 with 400', async () => {
    const wrongType = await gopy.inject({
      method: 'POST',
      url: '/api/v1/submissions',
      payload: 'topic=hoi_dap',
      headers: { 'content-type': 'text/plain' },
    });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error).toBe('unsupported_media_type');

    const malformed = await gopy.inject({
      method: 'POST',
      url: '/api/v1/submissions',
      payload: '{"topic": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toBe('malformed_body');

    const subject = `Sai mã hoá ${randomUUID().slice(0, 8)}`;
    const json = Buffer.from(JSON.stringify({ ...valid(), subject, body: 'XXXX nội dung có byte hỏng' }), 'utf8');
    const broken = Buffer.from(json);
    broken[json.indexOf('XXXX')] = 0xff;
    const invalid = await gopy.inject({
      method: 'POST',
      url: '/api/v1/submissions',
      payload: broken,
      headers: { 'content-type': 'application/json' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({
      error: 'invalid_encoding',
      message: 'Dữ liệu không phải văn bản UTF-8 hợp lệ.',
    });
    expect(await storedWithSubject(subject)).toBe(0);
  });

  it('sniffs attachment types from the bytes, and limits size and count', async () => {
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
    const disguised = { ...valid(), attachments: [{ filename: 'anh.png', contentBase64: exe.toString('base64') }] };
    const refused = await post(disguised);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().fields).toEqual({
      attachments: 'Tệp “anh.png” không được nhận: chỉ nhận ảnh JPEG, PNG, WebP hoặc PDF.',
    });

    const big = Buffer.concat([TINY_PNG, Buffer.alloc(5000)]);
    const tooLarge = await post({
      ...valid(),
      attachments: [{ filename: 'lon.png', contentBase64: big.toString('base64') }],
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().fields.attachments).toContain('quá lớn');

    const png = { filename: 'a.png', contentBase64: TINY_PNG.toString('base64') };
    const tooMany = await post({ ...valid(), attachments: [png, png, png] });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().fields).toEqual({ attachments: 'Chỉ được đính kèm tối đa 2 tệp.' });
    for (const input of [disguised]) expect(await storedWithSubject(input.subject)).toBe(0);

    const accepted = {
      ...valid(),
      attachments: [{ filename: '../../ảnh hiện trường.pdf', contentBase64: TINY_PNG.toString('base64') }],
    };
    const ok = await post(accepted);
    expect(ok.statusCode).toBe(201);
    const { rows } = await gopy.db.query(
      `SELECT a.filename, a.content_type, a.size_bytes, a.content_ciphertext FROM attachments a
         JOIN submissions s ON s.id = a.submission_id JOIN cases c ON c.id = s.case_id WHERE c.subject = $1`,
      [accepted.subject],
    );
    expect(rows).toHaveLength(1);
    // The name said PDF; the bytes say PNG, and the bytes win. Paths are stripped.
    expect(rows[0]).toMatchObject({
      filename: 'ảnh hiện trường.pdf',
      content_type: 'image/png',
      size_bytes: TINY_PNG.length,
    });
    expect((rows[0].content_ciphertext as Buffer).includes(TINY_PNG.subarray(0, 16))).toBe(false);
  });

  it('stores NFD input as NFC and HTML or SQL-looking text verbatim', async () => {
    const subject = `Đường sá xuống cấp ${randomUUID().slice(0, 8)}`;
    const body = `<script>alert('xin chào')</script> '; DROP TABLE cases; -- Đường sá`;
    const response = await post({ ...valid(), subject: subject.normalize('NFD'), body: body.normalize('NFD') });
    expect(response.statusCode).toBe(201);
    const { rows } = await gopy.db.query(
      'SELECT c.subject, s.body FROM cases c JOIN submissions s ON s.case_id = c.id WHERE c.subject = $1',
      [subject],
    );
    expect(rows).toEqual([{ subject, body }]);
    const { rows: found } = await gopy.db.query(
      `SELECT count(*)::int AS n FROM submissions WHERE search_vector @@ plainto_tsquery('simple', gopy_fold($1))`,
      ['duong sa xuong cap'],
    );
    expect(found[0].n).toBeGreaterThan(0);
  });
});
