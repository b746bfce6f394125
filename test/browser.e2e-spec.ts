import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { BrowserSession, PHONE_VIEWPORT, SCREENSHOT_DIR, openBrowser, screenshot } from './utils/browser';
import { GopyHarness } from './utils/gopy-harness';
import { SmtpCapture } from './utils/smtp-capture';
import { testConfig } from './utils/test-env';
import { waitFor } from './utils/wait-for';

// A real chromium on a 360 px phone, against the real API, worker, PostgreSQL, Redis and SMTP.
// (The e2e project's testTimeout is not a per-project option in Jest 30; set it here.)
jest.setTimeout(120_000);

// The functions given to page.evaluate run in chromium. tsconfig has no DOM library (and
// should not get one for the whole project), so the few browser globals they use are
// declared here, in this module only.
interface PageBox {
  top: number;
  left: number;
  right: number;
  width: number;
  height: number;
}
interface PageElement {
  id: string;
  tagName: string;
  className: string;
  textContent: string | null;
  closest(selector: string): PageElement | null;
  getBoundingClientRect(): PageBox;
}
declare const document: {
  documentElement: { clientWidth: number; scrollWidth: number };
  activeElement: PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  createRange(): { selectNodeContents(node: unknown): void; getClientRects(): ArrayLike<PageBox> };
};
declare function getComputedStyle(element: PageElement): { fontSize: string };

const CODE = /^[2-9A-Z]{5}-[2-9A-Z]{5}-[2-9A-Z]{5}$/;

describe('public pages in a real browser (phone, 360x740)', () => {
  const smtp = new SmtpCapture();
  const unitCode = `BR-${randomBytes(4).toString('hex')}`;
  const unitName = 'Phường Bến Thành (thử nghiệm trình duyệt)';
  let gopy: GopyHarness;
  let session: BrowserSession | undefined;

  beforeAll(async () => {
    await smtp.start();
    gopy = new GopyHarness(testConfig({ SMTP_URL: smtp.url }));
    // The demo units are not seeded in the test database: one unit of our own to pick.
    await gopy.db.query(`INSERT INTO units (code, name) VALUES ($1, $2)`, [unitCode, unitName]);
    await gopy.startApi(true);
    await gopy.startWorker();
  });

  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  afterAll(async () => {
    await gopy?.stop();
    await smtp.stop();
  });

  it('sends an opinion with JavaScript: errors in Vietnamese, confirmation, tracking page, follow-up, receipt mail', async () => {
    session = await openBrowser({ javaScriptEnabled: true });
    const { page } = session;

    // The form, in Vietnamese by default.
    const first = await page.goto(`${gopy.baseUrl}/`);
    expect(first?.status()).toBe(200);
    expect(first?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await expect(text(page, 'h1')).resolves.toBe('Gửi ý kiến của bạn');
    expect(await page.title()).toContain('Hòm thư góp ý');
    await expectPhoneLayout(page);
    await expectTouchTargets(page);
    // The enhancement script runs: the character counter is filled in.
    await expect(text(page, '#field-body-counter')).resolves.toBe('Đã nhập 0/10000 ký tự');
    await screenshot(page, 'form');

    // Send it (nearly) empty: only a subject and a too-short opinion are typed.
    const subjectDraft = 'Đường ngõ 12 bị ngập';
    const bodyDraft = 'Ngập';
    await page.fill('#field-subject', subjectDraft);
    await page.fill('#field-body', bodyDraft);
    const refused = await submitForm(page);
    expect(refused.status()).toBe(422);
    await page.locator('#error-summary').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await expect(text(page, '#error-summary-title')).resolves.toBe('Chưa gửi được. Vui lòng sửa 3 lỗi sau:');
    const summaryLinks = await page
      .locator('#error-summary li a')
      .evaluateAll((links) => links.map((a) => ({ text: a.textContent?.trim(), href: a.getAttribute('href') })));
    expect(summaryLinks).toEqual([
      { text: 'Vui lòng chọn lĩnh vực.', href: '#field-topic-gop_y_chinh_sach' },
      { text: 'Nội dung góp ý cần ít nhất 10 ký tự.', href: '#field-body' },
      { text: 'Vui lòng chọn cách gửi.', href: '#field-anonymous' },
    ]);
    // Every summary link leads to a field that exists on the page.
    for (const link of summaryLinks) expect(await page.locator(link.href as string).count()).toBe(1);
    // The summary sits above the form and gets the focus, so screen readers announce it.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
    const summaryBox = await page.locator('#error-summary').boundingBox();
    const formBox = await page.locator('form[action="/gop-y"]').boundingBox();
    expect(summaryBox!.y + summaryBox!.height).toBeLessThanOrEqual(formBox!.y);
    // Messages next to the fields, linked to them.
    await expect(text(page, '#field-topic-error')).resolves.toBe('Vui lòng chọn lĩnh vực.');
    await expect(text(page, '#field-body-error')).resolves.toBe('Nội dung góp ý cần ít nhất 10 ký tự.');
    await expect(text(page, '#field-anonymous-error')).resolves.toBe('Vui lòng chọn cách gửi.');
    expect(await page.getAttribute('#field-body', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#field-body', 'aria-describedby')).toContain('field-body-error');
    expect(await page.locator('#field-subject-error').count()).toBe(0);
    // What was typed is still there, diacritics intact.
    expect(await page.inputValue('#field-subject')).toBe(subjectDraft);
    expect(await page.inputValue('#field-body')).toBe(bodyDraft);
    await expect(text(page, '#field-body-counter')).resolves.toBe(`Đã nhập ${bodyDraft.length}/10000 ký tự`);
    await expectPhoneLayout(page);
    await screenshot(page, 'form-errors');
    // A summary link moves to its field.
    await page.click('#error-summary a[href="#field-body"]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-body');

    // Now filled in properly, with contact details and a picture.
    const subject = 'Đèn đường hỏng ở ngõ 12 phố Hàng Bạc';
    const opinion =
      'Ba cột đèn đường trong ngõ 12 đã hỏng hơn hai tuần. Buổi tối rất tối, người già và trẻ nhỏ đi lại khó khăn, dễ ngã.';
    const email = `nguoidan.trinhduyet.${Date.now()}@example.vn`;
    await page.check('#field-topic-phan_anh_kien_nghi');
    await page.selectOption('#field-unitCode', unitCode);
    await page.fill('#field-subject', subject);
    await page.fill('#field-body', opinion);
    await page.check('#field-anonymous-no');
    await page.fill('#field-name', 'Nguyễn Thị Hương');
    await page.fill('#field-email', email);
    await page.check('#field-consent');
    await page.setInputFiles('#field-attachments', { name: 'đèn-hỏng.png', mimeType: 'image/png', buffer: tinyPng() });
    const accepted = await submitForm(page);
    expect(accepted.status()).toBe(201);

    // The confirmation page with the tracking code.
    await page.locator('#tracking-code').waitFor();
    await expect(text(page, 'h1')).resolves.toBe('Đã nhận ý kiến của bạn');
    const trackingCode = await text(page, '#tracking-code');
    expect(trackingCode).toMatch(CODE);
    // The code is written down by hand: on a phone it must stay on one line.
    expect(await lineCount(page, '#tracking-code')).toBe(1);
    await expect(text(page, 'main')).resolves.toContain('Chúng tôi cũng đã gửi thư xác nhận đến email bạn cung cấp.');
    await expectPhoneLayout(page);
    await screenshot(page, 'confirmation');

    // Stored as sent: the unit, the subject, the picture, the contact sealed.
    const { rows } = await gopy.db.query(
      `SELECT c.status, c.topic, c.subject, u.code AS unit_code, s.anonymous, s.has_email, s.language, s.body,
              s.attachment_count, s.contact_ciphertext, a.content_type, a.filename
         FROM cases c JOIN submissions s ON s.case_id = c.id AND s.kind = 'initial'
         LEFT JOIN units u ON u.id = c.unit_id
         LEFT JOIN attachments a ON a.submission_id = s.id
        WHERE c.tracking_code = $1`,
      [trackingCode.replace(/-/g, '')],
    );
    expect(rows).toHaveLength(1);
    // The worker may already have routed it (the unit chosen, no collaborator there: triaged).
    expect(['received', 'triaged', 'assigned']).toContain(rows[0].status);
    expect(rows[0]).toMatchObject({
      topic: 'phan_anh_kien_nghi',
      subject,
      unit_code: unitCode,
      anonymous: false,
      has_email: true,
      language: 'vi',
      body: opinion,
      attachment_count: 1,
      content_type: 'image/png',
    });
    expect(rows[0].filename).toContain('.png');
    expect((rows[0].contact_ciphertext as Buffer).includes(Buffer.from(email))).toBe(false);

    // The tracking page, through the link on the confirmation.
    await Promise.all([page.waitForURL(`**/theo-doi/${trackingCode}`), page.click('a.button[href^="/theo-doi/"]')]);
    await expect(text(page, '#case-status')).resolves.toMatch(/^(Đã tiếp nhận|Đã phân loại)$/);
    await expect(text(page, '.facts')).resolves.toContain(subject);
    await expect(text(page, '.facts')).resolves.toContain('Phản ánh, kiến nghị');
    await expect(text(page, 'h1')).resolves.toContain(trackingCode);
    expect(await lineCount(page, 'h1 .tracking-code')).toBe(1);
    // Never personal data on the public page.
    await expect(text(page, 'body')).resolves.not.toContain(email);
    await expect(text(page, 'body')).resolves.not.toContain('Nguyễn Thị Hương');
    await expectPhoneLayout(page);
    await screenshot(page, 'tracking');

    // A follow-up on the tracking page.
    const addition = 'Tối qua thêm một cột đèn nữa cũng tắt, đoạn gần nhà văn hoá.';
    await page.fill('#field-body', addition);
    await Promise.all([
      page.waitForURL(`**/theo-doi/${trackingCode}?bo-sung=1`),
      page.click('form[action$="/bo-sung"] button[type="submit"]'),
    ]);
    await expect(text(page, '.notice')).resolves.toBe('Đã nhận nội dung bổ sung.');
    await expect(text(page, '.timeline')).resolves.toContain('Đã nhận nội dung bổ sung');
    const followUps = await gopy.db.query(
      `SELECT s.body FROM submissions s JOIN cases c ON c.id = s.case_id WHERE c.tracking_code = $1 AND s.kind = 'follow_up'`,
      [trackingCode.replace(/-/g, '')],
    );
    expect(followUps.rows).toEqual([{ body: addition }]);
    await screenshot(page, 'tracking-follow-up');

    // The receipt mail, through the outbox, the queue, the worker and SMTP.
    const mail = await waitFor(() => smtp.to(email)[0], 20_000, 'receipt mail');
    expect(mail.parsed.subject).toContain(trackingCode);
    expect(mail.parsed.subject).toContain(subject);
    expect(mail.parsed.text).toContain(`http://gopy.test/theo-doi/${trackingCode}`);

    // No script errors and no Content-Security-Policy violations on any page.
    expect(session.problems()).toEqual([]);
  });

  it('sends an anonymous opinion and looks it up with JavaScript turned off', async () => {
    session = await openBrowser({ javaScriptEnabled: false });
    const { page } = session;

    await page.goto(`${gopy.baseUrl}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await expect(text(page, 'h1')).resolves.toBe('Gửi ý kiến của bạn');
    // Proof that no script ran: the counter stays empty.
    await expect(text(page, '#field-body-counter')).resolves.toBe('');

    const subject = 'Xin lắp thêm biển báo giảm tốc';
    await page.check('#field-topic-gop_y_chinh_sach');
    await page.fill('#field-subject', subject);
    await page.fill(
      '#field-body',
      'Đoạn đường trước trường tiểu học xe chạy rất nhanh, đề nghị lắp biển báo và gờ giảm tốc.',
    );
    await page.check('#field-anonymous');
    const accepted = await submitForm(page);
    expect(accepted.status()).toBe(201);
    await page.locator('#tracking-code').waitFor();
    const trackingCode = await text(page, '#tracking-code');
    expect(trackingCode).toMatch(CODE);
    await expect(text(page, 'main')).resolves.not.toContain('thư xác nhận');

    const { rows } = await gopy.db.query(
      `SELECT s.anonymous, s.contact_ciphertext, c.subject FROM cases c JOIN submissions s ON s.case_id = c.id WHERE c.tracking_code = $1`,
      [trackingCode.replace(/-/g, '')],
    );
    expect(rows).toEqual([{ anonymous: true, contact_ciphertext: null, subject }]);

    // The lookup form works without scripts too (lower case and spaces are forgiven).
    await page.click('header a[href="/theo-doi"]');
    await page.fill('#field-code', ` ${trackingCode.toLowerCase()} `);
    await Promise.all([
      page.waitForURL(`**/theo-doi/${trackingCode}`),
      page.click('form[action="/theo-doi"] button[type="submit"]'),
    ]);
    await expect(text(page, '#case-status')).resolves.toMatch(/^(Đã tiếp nhận|Đã phân loại)$/);
    await expect(text(page, '.facts')).resolves.toContain(subject);
    expect(session.problems()).toEqual([]);
  });

  it('puts the consent message above its checkbox, not beside it', async () => {
    session = await openBrowser({ javaScriptEnabled: true });
    const { page } = session;
    await page.goto(`${gopy.baseUrl}/`);
    await page.check('#field-topic-hoi_dap');
    await page.fill('#field-subject', 'Giờ tiếp công dân của phường');
    await page.fill('#field-body', 'Xin hỏi phường tiếp công dân vào những ngày nào trong tuần?');
    await page.check('#field-anonymous-no');
    await page.fill('#field-phone', '0912 345 678');
    const refused = await submitForm(page);
    expect(refused.status()).toBe(422);
    await expect(text(page, '#error-summary li')).resolves.toBe(
      'Vui lòng đánh dấu đồng ý để chúng tôi được dùng thông tin liên hệ, hoặc chọn gửi ẩn danh.',
    );
    const message = (await page.locator('#field-consent-error').boundingBox())!;
    const box = (await page.locator('#field-consent').boundingBox())!;
    const label = (await page.locator('label[for="field-consent"]').boundingBox())!;
    expect(message.y + message.height).toBeLessThanOrEqual(box.y);
    // The label keeps most of the width beside its box.
    expect(label.width).toBeGreaterThan(PHONE_VIEWPORT.width * 0.6);
    expect(await page.getAttribute('#field-consent', 'aria-describedby')).toBe('field-consent-error');
    expect(await page.inputValue('#field-phone')).toBe('0912 345 678');
    await expectPhoneLayout(page);
    await page.locator('#field-consent').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/form-consent-error.png` });
    expect(session.problems()).toEqual([]);
  });

  it('switches to English from the header and remembers it', async () => {
    session = await openBrowser({ javaScriptEnabled: true });
    const { page } = session;

    await page.goto(`${gopy.baseUrl}/theo-doi`);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    const toEnglish = page.locator('header nav a[hreflang="en"]');
    // Visible text in its own language; the accessible name says what it does and contains
    // the visible word, so "click English" works with voice control (WCAG 2.5.3).
    await expect(toEnglish.locator('[lang="en"]').textContent()).resolves.toBe('English');
    expect(await toEnglish.isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Chuyển sang tiếng Anh: English', exact: true }).count()).toBe(1);
    await Promise.all([page.waitForURL(`${gopy.baseUrl}/theo-doi`), toEnglish.click()]);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(text(page, 'h1')).resolves.toBe('Track a case');

    await page.click('header nav a[href="/"]');
    await page.waitForURL(`${gopy.baseUrl}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(text(page, 'h1')).resolves.toBe('Send us your opinion');
    await expect(text(page, 'button[type="submit"]')).resolves.toBe('Send');
    await expect(page.locator('header nav a[hreflang="vi"] [lang="vi"]').textContent()).resolves.toBe('Tiếng Việt');
    expect(await page.getByRole('link', { name: 'Switch to Vietnamese: Tiếng Việt', exact: true }).count()).toBe(1);
    await expectPhoneLayout(page);
    await screenshot(page, 'form-en');

    // And back.
    await Promise.all([page.waitForURL(`${gopy.baseUrl}/`), page.click('header nav a[hreflang="vi"]')]);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await expect(text(page, 'h1')).resolves.toBe('Gửi ý kiến của bạn');
    expect(session.problems()).toEqual([]);
  });
});

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim();
}

/** How many lines an element's text takes. */
async function lineCount(page: Page, selector: string): Promise<number> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return new Set(
        Array.from(range.getClientRects())
          .filter((r) => r.width > 0)
          .map((r) => Math.round(r.top)),
      ).size;
    });
}

/** Presses Send and waits for the answer to the form post and the page it brings. */
async function submitForm(page: Page) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/gop-y'),
    page.click('form[action="/gop-y"] button[type="submit"]'),
  ]);
  await page.waitForLoadState('load');
  return response;
}

/** One column that fits the phone: nothing wider than the screen, text not too small. */
async function expectPhoneLayout(page: Page): Promise<void> {
  const layout = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const tooWide = Array.from(document.querySelectorAll('main *'))
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5) && !el.closest('.hp');
      })
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className}`);
    const smallText = Array.from(
      document.querySelectorAll('main p, main label, main li, main dd, main dt, main legend'),
    )
      .filter((el) => !el.closest('.hp') && parseFloat(getComputedStyle(el).fontSize) < 16)
      .map((el) => el.tagName.toLowerCase());
    return { scrollWidth: document.documentElement.scrollWidth, width, tooWide, smallText };
  });
  expect(layout.width).toBe(PHONE_VIEWPORT.width);
  expect(layout.scrollWidth).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
  expect(layout.tooWide).toEqual([]);
  expect(layout.smallText).toEqual([]);
}

/** Buttons, text fields and header links are at least 44 px high; radios and boxes at least 24 px. */
async function expectTouchTargets(page: Page): Promise<void> {
  const small = await page.evaluate(() => {
    const tooSmall: string[] = [];
    const check = (selector: string, min: number) => {
      for (const el of Array.from(document.querySelectorAll(selector))) {
        if (el.closest('.hp')) continue;
        const box = el.getBoundingClientRect();
        if (box.height < min || box.width < min) {
          tooSmall.push(
            `${selector} ${el.id || el.textContent?.trim()} ${Math.round(box.width)}x${Math.round(box.height)}`,
          );
        }
      }
    };
    check(
      'main input[type="text"], main input[type="email"], main input[type="tel"], main select, main textarea, main .button',
      44,
    );
    check('header nav a', 44);
    check('main input[type="radio"], main input[type="checkbox"]', 24);
    return tooSmall;
  });
  expect(small).toEqual([]);
}

/** A real 4x4 PNG, built byte by byte: the server sniffs the type from the content. */
function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const size = 4;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // truecolour RGB
  // Each row: filter byte 0, then red pixels.
  const rows = Buffer.concat(
    Array.from({ length: size }, () =>
      Buffer.from([0, ...Array.from({ length: size }, () => [0xc0, 0x20, 0x20]).flat()]),
    ),
  );
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
