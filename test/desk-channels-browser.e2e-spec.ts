import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { UnitsService } from '@gopy/directory';
import { BrowserSession, PHONE_VIEWPORT, SCREENSHOT_DIR, openBrowser, screenshot } from './utils/browser';
import { DeskFixture, PASSWORD, createDeskFixture } from './utils/desk-fixture';
import { GopyHarness } from './utils/gopy-harness';
import { TINY_PNG } from './utils/multipart';
import { testConfig } from './utils/test-env';
import { waitFor } from './utils/wait-for';

// Opinions that come by phone and by post, logged by a unit operator in a real chromium
// against the real API, worker, PostgreSQL and Redis: the call form (refused, then fixed and
// sent by keyboard), the callback and its outcomes, the letter form with a scan, the printable
// reply letter and its posting. Both forms are also checked on a 360 px phone.
// Screenshots go to test-output/screenshots/desk-call-*.png and desk-letter-*.png.
// Problems of the pages that do not stop the flow (an error message in the wrong place, a page
// that scrolls sideways) are collected as `findings` and checked at the end of each test, so
// one run lists them all.
jest.setTimeout(240_000);

const DESKTOP_VIEWPORT = { width: 1280, height: 800 };
const CODE = /^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}$/;

// The functions given to page.evaluate run in chromium. tsconfig has no DOM library, so the
// few browser globals they use are declared here, in this module only.
interface Rect {
  top: number;
  bottom: number;
}
interface PageElement {
  id: string;
  tagName: string;
  type?: string;
  textContent: string | null;
  labels?: ArrayLike<PageElement> | null;
  getAttribute(name: string): string | null;
  closest(selector: string): PageElement | null;
  getBoundingClientRect(): Rect;
}
declare const document: {
  documentElement: { lang: string; clientWidth: number; scrollWidth: number };
  activeElement: PageElement | null;
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
};
declare function getComputedStyle(element: PageElement): { outlineStyle: string; boxShadow: string };

describe('phone calls and letters on the desk in a real browser', () => {
  let gopy: GopyHarness;
  let session: BrowserSession | undefined;
  let second: BrowserSession | undefined;
  let scanDir: string;
  let scanPath: string;

  beforeAll(async () => {
    gopy = new GopyHarness(testConfig());
    await gopy.startApi(true);
    await gopy.startWorker();
    scanDir = await mkdtemp(join(tmpdir(), 'gopy-scan-'));
    scanPath = join(scanDir, 'thu-quet.png');
    await writeFile(scanPath, TINY_PNG);
  });

  afterEach(async () => {
    await session?.close();
    await second?.close();
    session = undefined;
    second = undefined;
  });

  afterAll(async () => {
    await gopy?.stop();
    if (scanDir) await rm(scanDir, { recursive: true, force: true });
  });

  /** A fixture of its own for each test; forget the API's 30 s cache of active units (see desk-browser). */
  async function deskFixture(): Promise<DeskFixture> {
    const fx = await createDeskFixture(gopy);
    Reflect.set(gopy.api!.get(UnitsService), 'cache', undefined);
    return fx;
  }

  async function caseIdOf(code: string): Promise<string> {
    const { rows } = await gopy.db.query(`SELECT id FROM cases WHERE tracking_code = $1`, [code.replace(/-/g, '')]);
    expect(rows).toHaveLength(1);
    return rows[0].id as string;
  }

  async function status(caseId: string): Promise<string> {
    return (await gopy.db.query(`SELECT status FROM cases WHERE id = $1`, [caseId])).rows[0].status as string;
  }

  /** Waits for the worker to route the case; returns the sign-in email of the collaborator who got it. */
  async function routedTo(fx: DeskFixture, caseId: string): Promise<string> {
    const key = await waitFor(
      async () => {
        const { rows } = await gopy.db.query(
          `SELECT p.key FROM cases c JOIN collaborators p ON p.id = c.assignee_id WHERE c.id = $1`,
          [caseId],
        );
        return rows[0]?.key as string | undefined;
      },
      20_000,
      'routing',
    );
    expect([fx.a1, fx.a2]).toContain(key);
    return key === fx.a1 ? fx.emails.collabA1 : fx.emails.collabA2;
  }

  /** From the desk, which sends a stranger to the sign-in form: the labelled fields, Enter to send. */
  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${gopy.baseUrl}/ban-lam-viec`);
    expect(new URL(page.url()).pathname).toBe('/dang-nhap');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
    const landed = await navigation(page, () => page.getByLabel('Mật khẩu', { exact: true }).press('Enter'));
    expect(landed.pathname).toBe('/ban-lam-viec');
  }

  /** Follows a link of the staff header, as an operator finds the forms. */
  async function headerLink(page: Page, name: string, path: string): Promise<void> {
    const url = await navigation(page, () =>
      page.locator('header.site nav').getByRole('link', { name, exact: true }).click(),
    );
    expect(url.pathname).toBe(path);
  }

  /** Submits a form by `action` and returns the status of the POST that answered it. */
  async function submit(page: Page, path: string, action: () => Promise<unknown>): Promise<number> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path),
      navigation(page, action),
    ]);
    return response.status();
  }

  it('logs a phone call (refused, fixed, sent by keyboard), then the assignee calls back and answers (1280x800)', async () => {
    const fx = await deskFixture();
    const findings: string[] = [];
    session = await openBrowser({ viewport: DESKTOP_VIEWPORT, isMobile: false, hasTouch: false });
    const { page } = session;
    await signIn(page, fx.emails.operatorA);
    await expect(text(page, 'header.site')).resolves.toContain('Điều phối viên');

    // 1. The header link leads to the call form, with the operator's unit chosen and "now" filled in.
    await headerLink(page, 'Ghi cuộc gọi', '/ban-lam-viec/cuoc-goi');
    await expect(text(page, 'h1')).resolves.toBe('Ghi nhận cuộc gọi');
    expect(await formPageProblems(page)).toEqual([]);
    expect(await page.locator('#field-unitCode').inputValue()).toBe(fx.unitA);
    const calledAt = await page.getByLabel('Thời điểm gọi', { exact: true }).inputValue();
    expect(calledAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    await screenshot(page, 'desk-call-form');

    // 2. Nearly empty, with a number that is not one: refused, everything typed is kept.
    await page.getByLabel('Số điện thoại', { exact: true }).fill('123');
    await page.getByLabel('Họ và tên', { exact: true }).fill('Bà Năm');
    await page.getByLabel('Thời lượng (phút)', { exact: true }).fill('6');
    const refused = await submit(page, '/ban-lam-viec/cuoc-goi', () =>
      page.getByRole('button', { name: 'Lưu và lấy mã hồ sơ', exact: true }).click(),
    );
    expect(refused).toBe(422);
    await expect(text(page, 'h1')).resolves.toBe('Ghi nhận cuộc gọi');
    await waitFor(async () => (await focused(page))?.id === 'error-summary', 5_000, 'focus on the error summary');
    const summary = await summaryLinks(page);
    const messages = summary.map((l) => l.text);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('không phải số điện thoại Việt Nam hợp lệ'),
        expect.stringContaining('Vui lòng chọn lĩnh vực'),
        expect.stringContaining('Vui lòng đánh dấu người gửi đã đồng ý'),
      ]),
    );
    // The summary lists the problems in the order of the form and names the empty "Nội dung
    // cuộc gọi"; "Tiêu đề" may be left empty (its hint says so); every message sits beside its field.
    if (!summary.some((l) => l.href === '#field-summary'))
      findings.push('call form: the empty "Nội dung cuộc gọi" (#field-summary) is not named in the error summary');
    if (summary.some((l) => l.href === '#field-subject'))
      findings.push('call form: "Tiêu đề" is refused as empty although its hint says it may be left empty');
    findings.push(...(await errorPlacementProblems(page)).map((f) => `call form (1280 px): ${f}`));
    expect(await page.getByLabel('Số điện thoại', { exact: true }).inputValue()).toBe('123');
    expect(await page.getByLabel('Họ và tên', { exact: true }).inputValue()).toBe('Bà Năm');
    expect(await page.getByLabel('Thời lượng (phút)', { exact: true }).inputValue()).toBe('6');
    expect(await page.getByLabel('Thời điểm gọi', { exact: true }).inputValue()).toBe(calledAt);
    expect(await page.locator('#field-unitCode').inputValue()).toBe(fx.unitA);
    expect(await formPageProblems(page)).toEqual([]);
    await screenshot(page, 'desk-call-form-error');
    // The summary's link to the phone number puts the cursor there.
    await page.click('#error-summary a[href="#field-phone"]');
    expect((await focused(page))?.id).toBe('field-phone');

    // 3. Fixed, and sent with the keyboard: Tab from the last box to the button, Enter.
    const phone = page.getByLabel('Số điện thoại', { exact: true });
    await phone.fill('0912 345 678');
    await page.getByLabel('Người gọi đồng ý để được liên hệ lại qua số này', { exact: true }).check();
    await page.getByLabel('Lĩnh vực', { exact: true }).selectOption({ label: 'Hỏi đáp' });
    const said =
      'Bà hỏi thủ tục đăng ký tạm trú cho con đi học xa nhà: cần những giấy tờ gì, nộp ở đâu và mất bao lâu.';
    await page.getByLabel('Nội dung cuộc gọi', { exact: true }).fill(said);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'BUTTON', text: 'Lưu và lấy mã hồ sơ', ring: true });
    const logged = await submit(page, '/ban-lam-viec/cuoc-goi', () => page.keyboard.press('Enter'));
    expect(logged).toBe(201);
    await expect(text(page, 'h1')).resolves.toBe('Đã ghi nhận cuộc gọi');
    const code = await text(page, '.code.big [aria-hidden="true"]');
    expect(code).toMatch(CODE);
    expect(await page.locator('[role="status"] .code.big').count()).toBe(1);
    await screenshot(page, 'desk-call-logged');
    const caseId = await caseIdOf(code);
    const { rows } = await gopy.db.query(`SELECT channel, subject FROM cases WHERE id = $1`, [caseId]);
    expect(rows[0].channel).toBe('phone');

    // 4. The collaborator the case was routed to, in a browser of their own.
    const assignee = await routedTo(fx, caseId);
    second = await openBrowser({ viewport: DESKTOP_VIEWPORT, isMobile: false, hasTouch: false });
    const desk = second.page;
    await signIn(desk, assignee);
    await expect(text(desk, 'table.cases')).resolves.toContain(code);
    const opened = await navigation(desk, () => desk.getByRole('link', { name: code, exact: true }).click());
    expect(opened.pathname).toBe(`/ban-lam-viec/ho-so/${caseId}`);
    await expect(text(desk, '.opinion .body')).resolves.toBe(said);
    await expect(text(desk, '.opinion .meta')).resolves.toContain('Điện thoại');
    const caseHtml = await desk.content();
    expect(caseHtml).not.toContain('0912 345 678');
    expect(caseHtml).not.toContain('912345678');
    expect(caseHtml).not.toContain('Bà Năm');
    // A phone case is answered by calling back, unless the collaborator chooses otherwise.
    const callback = desk.getByLabel('Gọi lại cho người gọi (giao việc gọi lại)', { exact: true });
    expect(await callback.isChecked()).toBe(true);
    expect(await desk.getByRole('group', { name: 'Cách trả lời' }).count()).toBe(1);
    expect(await formPageProblems(desk)).toEqual([]);
    await screenshot(desk, 'desk-call-case');

    const callbackText =
      'Hướng dẫn bà mang căn cước công dân và giấy xác nhận của trường đến công an phường để đăng ký tạm trú.';
    await desk.getByLabel('Nội dung trả lời', { exact: true }).fill(callbackText);
    expect(
      await submit(desk, `/ban-lam-viec/ho-so/${caseId}/tra-loi`, () =>
        desk.getByRole('button', { name: 'Gửi trả lời', exact: true }).click(),
      ),
    ).toBe(303);
    await expect(text(desk, '.notice[role="status"]')).resolves.toBe('Đã lưu.');
    await expect(text(desk, '.response-callback .body')).resolves.toBe(callbackText);
    await expect(text(desk, '.response-callback')).resolves.toContain('Việc gọi lại');
    await expect(text(desk, 'aside.case-side dd .status')).resolves.toBe('Đang xử lý');
    expect(await status(caseId)).toBe('in_progress');
    // Not public until the caller has been reached.
    const tracking = `${gopy.baseUrl}/theo-doi/${code}`;
    const publicBefore = await (await fetch(tracking)).text();
    expect(publicBefore).not.toContain('công an phường');

    // 5. Not reached, with a note: still open, the attempt listed.
    const outcomes = desk.getByRole('group', { name: 'Kết quả gọi lại' });
    expect(await outcomes.count()).toBe(1);
    await outcomes.getByLabel('Không liên lạc được', { exact: true }).check();
    await desk.getByLabel('Ghi chú cuộc gọi', { exact: true }).fill('Máy bận, hẹn gọi lại sau 15 giờ');
    expect(await formPageProblems(desk)).toEqual([]);
    expect(
      await submit(desk, `/ban-lam-viec/ho-so/${caseId}/goi-lai/${await responseId(caseId)}`, () =>
        desk.getByRole('button', { name: 'Ghi kết quả', exact: true }).click(),
      ),
    ).toBe(303);
    await expect(text(desk, '.response-callback')).resolves.toContain(
      'Không liên lạc được (Máy bận, hẹn gọi lại sau 15 giờ)',
    );
    await expect(text(desk, 'aside.case-side dd .status')).resolves.toBe('Đang xử lý');
    await expect(text(desk, '.timeline')).resolves.toContain('Gọi lại: không liên lạc được');
    expect(await status(caseId)).toBe('in_progress');
    await screenshot(desk, 'desk-call-case-not-reached');

    // 6. Reached: the case is answered, the outcome form is gone, the answer is public.
    await desk.getByRole('group', { name: 'Kết quả gọi lại' }).getByLabel('Đã liên lạc được', { exact: true }).check();
    expect(
      await submit(desk, `/ban-lam-viec/ho-so/${caseId}/goi-lai/${await responseId(caseId)}`, () =>
        desk.getByRole('button', { name: 'Ghi kết quả', exact: true }).click(),
      ),
    ).toBe(303);
    await expect(text(desk, 'aside.case-side dd .status')).resolves.toBe('Đã trả lời');
    await expect(text(desk, '.response-callback')).resolves.toContain('Đã liên lạc được');
    expect(await desk.getByRole('group', { name: 'Kết quả gọi lại' }).count()).toBe(0);
    expect(await status(caseId)).toBe('answered');
    expect(await formPageProblems(desk)).toEqual([]);
    await screenshot(desk, 'desk-call-case-answered');

    await desk.goto(tracking);
    expect(await desk.getAttribute('html', 'lang')).toBe('vi');
    await expect(text(desk, '#case-status')).resolves.toBe('Đã trả lời');
    await expect(text(desk, '.answer .answer-body')).resolves.toBe(callbackText);
    expect(await desk.content()).not.toContain('912');
    await screenshot(desk, 'desk-call-tracking');
    findings.push(...session.problems().map((p) => `browser (operator): ${p}`));
    findings.push(...second.problems().map((p) => `browser (collaborator): ${p}`));
    expect(findings).toEqual([]);
  });

  it('enters a letter with its scan, answers it by post, prints the reply and records the posting (1280x800)', async () => {
    const fx = await deskFixture();
    const findings: string[] = [];
    session = await openBrowser({ viewport: DESKTOP_VIEWPORT, isMobile: false, hasTouch: false });
    const { page } = session;
    await signIn(page, fx.emails.operatorA);

    // 1. The letter form from the header: today's date, the unit, the consent already ticked.
    await headerLink(page, 'Nhập thư', '/ban-lam-viec/thu');
    await expect(text(page, 'h1')).resolves.toBe('Nhập thư góp ý');
    expect(await formPageProblems(page)).toEqual([]);
    const receivedOn = page.getByLabel('Ngày nhận thư', { exact: true });
    expect(await receivedOn.inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await page.locator('#field-unitCode').inputValue()).toBe(fx.unitA);
    const consent = page.getByLabel('Người gửi đề nghị được trả lời qua địa chỉ này', { exact: true });
    expect(await consent.isChecked()).toBe(true);
    await screenshot(page, 'desk-letter-form');

    // 2. The letter as it came: two days ago, name, address, topic, subject, text and its scan.
    const twoDaysAgo = new Date(Date.now() + 7 * 3600_000 - 2 * 86_400_000).toISOString().slice(0, 10);
    await receivedOn.fill(twoDaysAgo);
    const name = 'Cụ Đặng Văn Sáu';
    const address = 'Số 12, ngõ 4, tổ 7\nphường Hòa Bình';
    const subject = 'Đèn đường ngõ 4 không sáng';
    await page.getByLabel('Họ và tên', { exact: true }).fill(name);
    await page.getByLabel('Địa chỉ', { exact: true }).fill(address);
    await page.getByLabel('Lĩnh vực', { exact: true }).selectOption({ label: 'Phản ánh, kiến nghị' });
    await page.getByLabel('Tiêu đề', { exact: true }).fill(subject);
    const letter =
      'Kính gửi Chi bộ, đèn đường ngõ 4 tổ 7 đã hỏng cả tháng nay, buổi tối các cụ đi lại rất khó khăn. Mong được sửa sớm.';
    await page.getByLabel('Nội dung thư (chép lại)', { exact: true }).fill(letter);
    await page.getByLabel('Bản quét thư', { exact: true }).setInputFiles(scanPath);
    expect(await consent.isChecked()).toBe(true);
    await screenshot(page, 'desk-letter-form-filled');
    expect(
      await submit(page, '/ban-lam-viec/thu', () =>
        page.getByRole('button', { name: 'Lưu thư và lấy mã hồ sơ', exact: true }).click(),
      ),
    ).toBe(201);
    await expect(text(page, 'h1')).resolves.toBe('Đã nhập thư');
    await expect(text(page, '[role="status"]')).resolves.toContain('Ghi mã hồ sơ này lên thư gốc:');
    const code = await text(page, '.code.big [aria-hidden="true"]');
    expect(code).toMatch(CODE);
    await screenshot(page, 'desk-letter-logged');
    const caseId = await caseIdOf(code);
    const { rows } = await gopy.db.query(
      `SELECT c.channel, c.subject, s.attachment_count, s.received_at
         FROM cases c JOIN submissions s ON s.case_id = c.id WHERE c.id = $1`,
      [caseId],
    );
    expect(rows[0]).toMatchObject({ channel: 'letter', subject, attachment_count: 1 });
    expect(new Date(rows[0].received_at).getTime()).toBeLessThan(Date.now() - 86_400_000);
    await routedTo(fx, caseId);

    // 3. The operator opens the case and answers with a reply letter (the default for letters).
    const opened = await navigation(page, () => page.getByRole('link', { name: 'Mở hồ sơ', exact: true }).click());
    expect(opened.pathname).toBe(`/ban-lam-viec/ho-so/${caseId}`);
    await expect(text(page, '.opinion .body')).resolves.toBe(letter);
    await expect(text(page, '.opinion .meta')).resolves.toContain('1 tệp đính kèm');
    expect(await page.content()).not.toContain('ngõ 4, tổ 7');
    const byPost = page.getByLabel('Thư trả lời gửi bưu điện (in được)', { exact: true });
    expect(await byPost.isChecked()).toBe(true);
    expect(await formPageProblems(page)).toEqual([]);
    const answer = 'Đội điện chiếu sáng đã thay bóng đèn ngõ 4 ngày hôm qua. Cảm ơn cụ đã báo.';
    await page.getByLabel('Nội dung trả lời', { exact: true }).fill(answer);
    expect(
      await submit(page, `/ban-lam-viec/ho-so/${caseId}/tra-loi`, () =>
        page.getByRole('button', { name: 'Gửi trả lời', exact: true }).click(),
      ),
    ).toBe(303);
    await expect(text(page, '.response-letter .body')).resolves.toBe(answer);
    await expect(text(page, 'aside.case-side dd .status')).resolves.toBe('Đã trả lời');
    const print = page.getByRole('button', { name: /^In thư trả lời/ });
    const posted = page.getByRole('button', { name: 'Ghi nhận đã gửi bưu điện', exact: true });
    expect(await print.count()).toBe(1);
    expect(await posted.count()).toBe(1);
    expect(await formPageProblems(page)).toEqual([]);
    await screenshot(page, 'desk-letter-case-answered');

    // 4. The reply letter opens in a new tab: the address, the answer, the code; then as printed.
    const [sheet] = await Promise.all([page.waitForEvent('popup'), print.click()]);
    await sheet.waitForLoadState('load');
    expect(new URL(sheet.url()).pathname).toBe(`/ban-lam-viec/ho-so/${caseId}/thu-tra-loi/${await responseId(caseId)}`);
    expect(await sheet.getAttribute('html', 'lang')).toBe('vi');
    const recipient = await text(sheet, '.letter .recipient');
    expect(recipient).toContain(name);
    expect(recipient).toContain('Số 12, ngõ 4, tổ 7');
    expect(recipient).toContain('phường Hòa Bình');
    // The address was typed on two lines, in a box of three, for an envelope window.
    if (!(await sheet.locator('.letter .recipient').innerText()).includes('tổ 7\nphường Hòa Bình'))
      findings.push('reply letter: the line breaks of the address are lost (typed in a textarea, printed on one line)');
    await expect(text(sheet, '.letter .letter-body')).resolves.toBe(answer);
    await expect(text(sheet, '.letter')).resolves.toContain(code);
    await expect(text(sheet, '.letter h1')).resolves.toContain(subject);
    expect(await sheet.locator('.no-print').isVisible()).toBe(true);
    await screenshot(sheet, 'desk-letter-print');
    await sheet.emulateMedia({ media: 'print' });
    expect(await sheet.locator('.no-print').isVisible()).toBe(false);
    await screenshot(sheet, 'desk-letter-print-media');
    // One letter, one A4 sheet (no blank page after it).
    const pdf = await sheet.pdf({ path: join(SCREENSHOT_DIR, 'desk-letter-print.pdf'), preferCSSPageSize: true });
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? [];
    if (pages.length !== 1) findings.push(`reply letter: prints on ${pages.length} A4 pages, not 1`);
    await sheet.close();
    const reveal = await gopy.db.query(
      `SELECT detail->>'purpose' AS purpose FROM audit_log WHERE case_id = $1 AND action = 'case.contact_revealed'`,
      [caseId],
    );
    expect(reveal.rows).toEqual([{ purpose: 'letter' }]);

    // 5. Posted: recorded once, the button gone, the public timeline says so.
    expect(
      await submit(page, `/ban-lam-viec/ho-so/${caseId}/da-gui-thu/${await responseId(caseId)}`, () => posted.click()),
    ).toBe(303);
    await expect(text(page, '.notice[role="status"]')).resolves.toBe('Đã lưu.');
    await expect(text(page, '.response-letter')).resolves.toContain('Đã gửi bưu điện: ');
    expect(await page.getByRole('button', { name: 'Ghi nhận đã gửi bưu điện', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^In thư trả lời/ }).count()).toBe(1);
    await expect(text(page, '.timeline')).resolves.toContain('Đã gửi thư trả lời qua bưu điện');
    expect(await formPageProblems(page)).toEqual([]);
    await screenshot(page, 'desk-letter-case-posted');

    await page.goto(`${gopy.baseUrl}/theo-doi/${code}`);
    await expect(text(page, '#case-status')).resolves.toBe('Đã trả lời');
    await expect(text(page, '.answer .answer-body')).resolves.toBe(answer);
    await expect(text(page, '.timeline')).resolves.toContain('Đã gửi thư trả lời qua bưu điện');
    expect(await page.content()).not.toContain('ngõ 4, tổ 7');
    await screenshot(page, 'desk-letter-tracking');
    // Script errors, CSP violations, failed sub-resources of any page (the print tab too).
    findings.push(...session.problems().map((p) => `browser: ${p}`));
    expect(findings).toEqual([]);
  });

  it('shows both forms, their errors and the code on a phone (360x740) without sideways scrolling', async () => {
    const fx = await deskFixture();
    const findings: string[] = [];
    session = await openBrowser();
    const { page } = session;
    await signIn(page, fx.emails.operatorA);
    expect(await page.evaluate(() => document.documentElement.clientWidth)).toBe(PHONE_VIEWPORT.width);

    // The call form, empty then refused.
    await headerLink(page, 'Ghi cuộc gọi', '/ban-lam-viec/cuoc-goi');
    expect(await formPageProblems(page)).toEqual([]);
    expect(await sidewaysScroll(page)).toBe(0);
    await screenshot(page, 'desk-call-form-phone');
    await page.getByLabel('Số điện thoại', { exact: true }).fill('123');
    expect(
      await submit(page, '/ban-lam-viec/cuoc-goi', () =>
        page.getByRole('button', { name: 'Lưu và lấy mã hồ sơ', exact: true }).click(),
      ),
    ).toBe(422);
    await waitFor(async () => (await focused(page))?.id === 'error-summary', 5_000, 'focus on the error summary');
    expect(await formPageProblems(page)).toEqual([]);
    expect(await sidewaysScroll(page)).toBe(0);
    findings.push(...(await errorPlacementProblems(page)).map((f) => `call form (360 px): ${f}`));
    await screenshot(page, 'desk-call-form-error-phone');

    // Fixed: the code must fit on the screen, to be read back to the caller.
    await page.getByLabel('Số điện thoại', { exact: true }).fill('0912 345 678');
    await page.getByLabel('Người gọi đồng ý để được liên hệ lại qua số này', { exact: true }).check();
    await page.getByLabel('Lĩnh vực', { exact: true }).selectOption({ label: 'Hỏi đáp' });
    await page
      .getByLabel('Nội dung cuộc gọi', { exact: true })
      .fill('Ông hỏi lịch tiếp công dân của phường trong tháng này và có cần đặt lịch trước không.');
    expect(
      await submit(page, '/ban-lam-viec/cuoc-goi', () =>
        page.getByRole('button', { name: 'Lưu và lấy mã hồ sơ', exact: true }).click(),
      ),
    ).toBe(201);
    expect(await text(page, '.code.big [aria-hidden="true"]')).toMatch(CODE);
    await screenshot(page, 'desk-call-logged-phone');
    const overflow = await sidewaysScroll(page);
    if (overflow > 0)
      findings.push(`call logged (360 px): the big code does not fit, the page scrolls sideways by ${overflow} px`);

    // The letter form, empty then refused (an address is needed to answer by post).
    await headerLink(page, 'Nhập thư', '/ban-lam-viec/thu');
    expect(await formPageProblems(page)).toEqual([]);
    expect(await sidewaysScroll(page)).toBe(0);
    await screenshot(page, 'desk-letter-form-phone');
    await page.getByLabel('Họ và tên', { exact: true }).fill('Cụ Sáu');
    await page.getByLabel('Bản quét thư', { exact: true }).setInputFiles(scanPath);
    expect(
      await submit(page, '/ban-lam-viec/thu', () =>
        page.getByRole('button', { name: 'Lưu thư và lấy mã hồ sơ', exact: true }).click(),
      ),
    ).toBe(422);
    await waitFor(async () => (await focused(page))?.id === 'error-summary', 5_000, 'focus on the error summary');
    const messages = (await summaryLinks(page)).map((l) => l.text);
    expect(messages).toEqual(expect.arrayContaining([expect.stringContaining('Vui lòng nhập địa chỉ')]));
    findings.push(...(await errorPlacementProblems(page)).map((f) => `letter form (360 px): ${f}`));
    expect(await page.getByLabel('Họ và tên', { exact: true }).inputValue()).toBe('Cụ Sáu');
    expect(await formPageProblems(page)).toEqual([]);
    expect(await sidewaysScroll(page)).toBe(0);
    await screenshot(page, 'desk-letter-form-error-phone');
    // Script errors, CSP violations, failed sub-resources of any page (the print tab too).
    findings.push(...session.problems().map((p) => `browser: ${p}`));
    expect(findings).toEqual([]);
  });

  async function responseId(caseId: string): Promise<string> {
    const { rows } = await gopy.db.query(
      `SELECT id FROM case_responses WHERE case_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [caseId],
    );
    return rows[0].id as string;
  }
});

/**
 * Runs an action that loads a new page (a click, Enter in a form) and waits for that new
 * document to load, even when it has the URL the page already had. Returns the new URL.
 */
async function navigation(page: Page, action: () => Promise<unknown>): Promise<URL> {
  await Promise.all([page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame()), action()]);
  await page.waitForLoadState('load');
  return new URL(page.url());
}

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim();
}

/** The element with the focus: its tag, id and text, and whether a focus ring is drawn. */
async function focused(page: Page): Promise<{ tag: string; id: string; text: string; ring: boolean } | null> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return null;
    const style = getComputedStyle(el);
    return {
      tag: el.tagName,
      id: el.id,
      text: (el.textContent ?? '').trim(),
      ring: style.outlineStyle !== 'none' || style.boxShadow !== 'none',
    };
  });
}

/** How far the page scrolls sideways (0: it fits the screen). */
async function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

async function summaryLinks(page: Page): Promise<{ text: string; href: string }[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('#error-summary a')).map((a) => ({
      text: (a.textContent ?? '').trim(),
      href: a.getAttribute('href') ?? '',
    })),
  );
}

/**
 * Checks every page with a form must pass: html[lang]="vi", every visible control labelled
 * (a <label for>, a wrapping label, aria-label or aria-labelledby), no id used twice.
 */
async function formPageProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    if (document.documentElement.lang !== 'vi') found.push(`html lang="${document.documentElement.lang}"`);
    for (const el of Array.from(document.querySelectorAll('input, select, textarea'))) {
      if (el.type === 'hidden') continue;
      const labels = Array.from(el.labels ?? []).filter((l) => (l.textContent ?? '').trim().length > 0);
      const aria = (el.getAttribute('aria-label') ?? '').trim() || el.getAttribute('aria-labelledby');
      if (labels.length === 0 && !aria) found.push(`unlabelled ${el.tagName.toLowerCase()}#${el.id}`);
    }
    const ids = Array.from(document.querySelectorAll('[id]')).map((el) => el.id);
    for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) found.push(`duplicate id ${id}`);
    return found;
  });
}

/**
 * The error summary lists the problems in the order of the form's fields. For each of its
 * messages: the link leads to a field; the same message is shown in that field's box (same
 * .field), close to it (within 48 px above or below) and above or below it, not in the same
 * row (which squeezes a checkbox's label into a narrow column); the field is marked aria-invalid and tied to the message by aria-describedby.
 */
async function errorPlacementProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const order = Array.from(document.querySelectorAll('input, select, textarea')).map((el) => `#${el.id}`);
    const listed = Array.from(document.querySelectorAll('#error-summary a'))
      .map((a) => a.getAttribute('href') ?? '')
      .filter((href) => order.includes(href));
    const sorted = [...listed].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    if (listed.join() !== sorted.join())
      found.push(`error summary not in the order of the form: ${listed.join(' ')} (form: ${sorted.join(' ')})`);
    for (const link of Array.from(document.querySelectorAll('#error-summary a'))) {
      const message = (link.textContent ?? '').trim();
      const id = (link.getAttribute('href') ?? '').replace(/^#/, '');
      const field = document.getElementById(id);
      if (!field) {
        found.push(`summary link #${id} ("${message}") leads to no element`);
        continue;
      }
      const errorId = `${id}-error`;
      const error = document.getElementById(errorId);
      if (!error) {
        found.push(`#${id}: no message beside the field ("${message}")`);
        continue;
      }
      if ((error.textContent ?? '').trim() !== message) found.push(`#${id}: beside the field "${error.textContent}"`);
      if (field.getAttribute('aria-invalid') !== 'true') found.push(`#${id}: not aria-invalid`);
      if (!(field.getAttribute('aria-describedby') ?? '').split(' ').includes(errorId))
        found.push(`#${id}: aria-describedby does not name ${errorId}`);
      const box = field.closest('.field');
      if (!box || error.closest('.field') !== box) found.push(`#${id}: message outside the field's box`);
      const a = field.getBoundingClientRect();
      const b = error.getBoundingClientRect();
      const gap = b.top >= a.bottom ? b.top - a.bottom : a.top - b.bottom;
      if (gap > 48) found.push(`#${id}: message ${Math.round(gap)} px away from the field`);
      if (b.top < a.bottom && b.bottom > a.top)
        found.push(`#${id}: message placed in the same row as the control, squeezing its label into a column`);
    }
    return found;
  });
}
