import type { Page } from 'playwright-core';
import { UnitsService } from '@gopy/directory';
import { BrowserSession, PHONE_VIEWPORT, openBrowser, screenshot } from './utils/browser';
import { DeskFixture, PASSWORD, createDeskFixture, submitOpinion } from './utils/desk-fixture';
import { GopyHarness } from './utils/gopy-harness';
import { SmtpCapture } from './utils/smtp-capture';
import { testConfig } from './utils/test-env';
import { waitFor } from './utils/wait-for';

// A collaborator works a case on the desk in a real chromium, against the real API, worker,
// PostgreSQL, Redis and SMTP: signs in, finds the case, accepts, answers, closes, signs out.
// Screenshots go to test-output/screenshots/desk-*.png.
jest.setTimeout(180_000);

const DESKTOP_VIEWPORT = { width: 1280, height: 800 };

// The functions given to page.evaluate run in chromium. tsconfig has no DOM library, so the
// few browser globals they use are declared here, in this module only.
interface PageElement {
  id: string;
  tagName: string;
  type?: string;
  textContent: string | null;
  labels?: ArrayLike<PageElement> | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  documentElement: { lang: string; clientWidth: number; scrollWidth: number };
  activeElement: PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
};
declare function getComputedStyle(element: PageElement): { outlineStyle: string; boxShadow: string };

interface CaseRow {
  status: string;
  assignee_id: string | null;
  assignee_key: string | null;
  outcome: string | null;
}

describe('the desk in a real browser (a collaborator works a case)', () => {
  const smtp = new SmtpCapture();
  let gopy: GopyHarness;
  let session: BrowserSession | undefined;

  beforeAll(async () => {
    await smtp.start();
    gopy = new GopyHarness(testConfig({ SMTP_URL: smtp.url }));
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

  async function caseRow(caseId: string): Promise<CaseRow> {
    const { rows } = await gopy.db.query(
      `SELECT c.status, c.assignee_id, p.key AS assignee_key, c.outcome
         FROM cases c LEFT JOIN collaborators p ON p.id = c.assignee_id WHERE c.id = $1`,
      [caseId],
    );
    return rows[0];
  }

  /**
   * A fixture of its own for each test. The API caches the active units for 30 s and a
   * directory import does not clear that cache, so units imported after an earlier test
   * filled it would be refused by intake until it expires: forget it here.
   */
  async function deskFixture(): Promise<DeskFixture> {
    const fx = await createDeskFixture(gopy);
    Reflect.set(gopy.api!.get(UnitsService), 'cache', undefined);
    return fx;
  }

  /** Waits for the worker to route the case; returns the sign-in email of the collaborator who got it. */
  async function routedTo(fx: DeskFixture, caseId: string): Promise<{ email: string; key: string }> {
    const key = await waitFor(async () => (await caseRow(caseId)).assignee_key ?? undefined, 20_000, 'routing');
    expect([fx.a1, fx.a2]).toContain(key);
    return { key, email: key === fx.a1 ? fx.emails.collabA1 : fx.emails.collabA2 };
  }

  /** The sign-in form, as a person uses it: the labelled fields, Enter to send. */
  async function signIn(page: Page, email: string): Promise<void> {
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
    const landed = await navigation(page, () => page.getByLabel('Mật khẩu', { exact: true }).press('Enter'));
    expect(landed.pathname).toBe('/ban-lam-viec');
  }

  it('signs in, finds the case without diacritics, accepts, answers, closes, switches to English, signs out (1280x800)', async () => {
    const fx = await deskFixture();
    const submitter = `dung.trinhduyet.${fx.run.toLowerCase()}@example.vn`;
    const subject = 'Đường sá xuống cấp, nhiều ổ gà ở tổ 7';
    const opinion = 'Đoạn đường tổ 7 phường Hòa Bình có nhiều ổ gà sau mưa, xe máy đi lại rất nguy hiểm vào buổi tối.';
    const main = await submitOpinion(gopy, { unitCode: fx.unitA, email: submitter, subject, body: opinion });
    // Two more in the same unit, about other things: the search must leave them out.
    const others = [
      await submitOpinion(gopy, {
        unitCode: fx.unitA,
        topic: 'gop_y_chinh_sach',
        subject: 'Rác thải tồn đọng ở chợ Hòa Bình',
        body: 'Khu vực cổng chợ có rác tồn đọng nhiều ngày, bốc mùi khó chịu cho người dân xung quanh.',
      }),
      await submitOpinion(gopy, {
        unitCode: fx.unitA,
        topic: 'hoi_dap',
        subject: 'Giờ tiếp công dân của phường',
        body: 'Xin hỏi phường tiếp công dân vào những ngày nào trong tuần và cần mang giấy tờ gì?',
      }),
    ];
    const mine = await routedTo(fx, main.caseId);
    for (const other of others) await routedTo(fx, other.caseId);
    const receipt = await waitFor(() => smtp.to(submitter)[0], 20_000, 'receipt mail');
    expect(receipt.parsed.subject).toContain(main.trackingCode);

    session = await openBrowser({ viewport: DESKTOP_VIEWPORT, isMobile: false, hasTouch: false });
    const { page } = session;

    // 2. The desk sends a stranger to the sign-in form, and back to the desk afterwards.
    await page.goto(`${gopy.baseUrl}/ban-lam-viec`);
    expect(new URL(page.url()).pathname).toBe('/dang-nhap');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/ban-lam-viec');
    await expect(text(page, 'h1')).resolves.toBe('Đăng nhập bàn làm việc');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await unlabelledFields(page)).toEqual([]);
    await screenshot(page, 'desk-login');
    await signIn(page, mine.email);

    // 3. My cases, with the case; a search without diacritics finds it, kept in the URL.
    await expect(text(page, 'h1')).resolves.toBe('Hồ sơ của tôi');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await expect(text(page, 'table.cases')).resolves.toContain(main.trackingCode);
    await expect(text(page, 'header.site')).resolves.toContain('Cộng tác viên');
    const search = page.getByLabel('Tìm trong nội dung', { exact: true });
    await search.fill('duong sa');
    const url = await navigation(page, () => search.press('Enter'));
    expect(url.pathname).toBe('/ban-lam-viec');
    expect(url.searchParams.get('q')).toBe('duong sa');
    expect(url.searchParams.get('view')).toBe('mine');
    expect(await search.inputValue()).toBe('duong sa');
    const found = await page.locator('table.cases tbody tr a.code').allTextContents();
    expect(found.map((c) => c.trim())).toEqual([main.trackingCode]);
    await expect(text(page, 'table.cases tbody')).resolves.toContain(subject);
    await expect(text(page, 'table.cases tbody')).resolves.toContain('Đã chuyển người phụ trách');
    expect(await page.content()).not.toContain(submitter);
    // The search is a landmark people can jump to.
    expect(await page.getByRole('search').count()).toBe(1);
    expect(await unlabelledFields(page)).toEqual([]);
    expect(await duplicateIds(page)).toEqual([]);
    await screenshot(page, 'desk-list');

    // 4. The case: the opinion, deadlines and why it came here; never who wrote it.
    const casePage = await navigation(page, () =>
      page.getByRole('link', { name: main.trackingCode, exact: true }).click(),
    );
    expect(casePage.pathname).toBe(`/ban-lam-viec/ho-so/${main.caseId}`);
    await expect(text(page, 'h1')).resolves.toBe(`${main.trackingCode} ${subject}`);
    await expect(text(page, '.opinion .body')).resolves.toBe(opinion);
    const routingHeading = page.getByRole('heading', { name: 'Vì sao hồ sơ đến đây', exact: true });
    const deadlineHeading = page.getByRole('heading', { name: 'Thời hạn', exact: true });
    expect(await routingHeading.isVisible()).toBe(true);
    expect(await deadlineHeading.isVisible()).toBe(true);
    const side = await text(page, 'aside.case-side');
    expect(side).toContain(`Đơn vị: ${fx.unitA} · Chi bộ Phường Hòa Bình`);
    expect(side).toContain('Người được chọn: ');
    expect(side).toMatch(/Trả lời lần đầu trước \S/);
    expect(side).toMatch(/Giải quyết xong trước \S/);
    expect(side).not.toContain('Trả lời lần đầu trước —');
    await expect(text(page, 'aside.case-side dd .status')).resolves.toBe('Đã chuyển người phụ trách');
    await expect(text(page, 'main')).resolves.toContain('Thông tin liên hệ của người gửi được bảo vệ.');
    const html = await page.content();
    expect(html).not.toContain(submitter);
    expect(html).not.toContain('Phạm Thị Dung');
    expect(await unlabelledFields(page)).toEqual([]);
    expect(await duplicateIds(page)).toEqual([]);
    await screenshot(page, 'desk-case');

    // Keyboard: the first Tab lands on the skip link; Tab reaches the main buttons, with a
    // visible focus ring.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'A', text: 'Bỏ qua, đến nội dung chính' });
    await tabTo(page, 'Đăng xuất');
    await tabTo(page, 'Nhận xử lý');
    await tabTo(page, 'Gửi trả lời');
    await tabTo(page, 'Kết thúc xử lý');

    // 5. Accept.
    const accepted = await navigation(page, () =>
      page.getByRole('button', { name: 'Nhận xử lý', exact: true }).click(),
    );
    expect(`${accepted.pathname}${accepted.search}`).toBe(`/ban-lam-viec/ho-so/${main.caseId}?ok=1`);
    await expect(text(page, '.notice[role="status"]')).resolves.toBe('Đã lưu.');
    await expect(text(page, 'aside.case-side dd .status')).resolves.toBe('Đang xử lý');
    expect(await page.getByRole('button', { name: 'Nhận xử lý', exact: true }).count()).toBe(0);
    expect((await caseRow(main.caseId)).status).toBe('in_progress');

    // An empty answer: refused, the message beside the field, the summary focused.
    const [refused] = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith(`/${main.caseId}/tra-loi`),
      ),
      navigation(page, () => page.getByRole('button', { name: 'Gửi trả lời', exact: true }).click()),
    ]);
    expect(refused.status()).toBe(422);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    const message = await text(page, '#field-response-error');
    expect(message).toBe('Vui lòng nhập nội dung trả lời.');
    expect(await page.getAttribute('#field-response', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#field-response', 'aria-describedby')).toContain('field-response-error');
    // Beside the field, as on the public form: between its label and the box.
    const label = (await page.locator('label[for="field-response"]').boundingBox())!;
    const box = (await page.locator('#field-response').boundingBox())!;
    const error = (await page.locator('#field-response-error').boundingBox())!;
    expect(error.y).toBeGreaterThanOrEqual(label.y + label.height - 1);
    expect(error.y + error.height).toBeLessThanOrEqual(box.y + 1);
    // The summary gets the focus (gopy.js), its link leads to the field.
    await waitFor(async () => (await focused(page))?.id === 'error-summary', 5_000, 'focus on the error summary');
    const summaryLinks = await page
      .locator('#error-summary a')
      .evaluateAll((links) => links.map((a) => ({ text: a.textContent?.trim(), href: a.getAttribute('href') })));
    expect(summaryLinks).toEqual([{ text: message, href: '#field-response' }]);
    expect((await caseRow(main.caseId)).status).toBe('in_progress');
    await screenshot(page, 'desk-case-answer-error');
    await page.click('#error-summary a[href="#field-response"]');
    expect((await focused(page))?.id).toBe('field-response');

    // A proper answer.
    const answer =
      'Ủy ban phường đã giao đội công trình vá các ổ gà trên đường tổ 7 trong tuần này. Cảm ơn bạn đã phản ánh.';
    await page.getByLabel('Nội dung trả lời', { exact: true }).fill(answer);
    const answered = await navigation(page, () =>
      page.getByRole('button', { name: 'Gửi trả lời', exact: true }).click(),
    );
    expect(`${answered.pathname}${answered.search}`).toBe(`/ban-lam-viec/ho-so/${main.caseId}?ok=1`);
    await expect(text(page, '.notice[role="status"]')).resolves.toBe('Đã lưu.');
    expect(await page.getByRole('heading', { name: 'Các câu trả lời', exact: true }).isVisible()).toBe(true);
    await expect(text(page, '.response .body')).resolves.toBe(answer);
    await expect(text(page, 'aside.case-side dd .status')).resolves.toBe('Đã trả lời');
    expect(await page.locator('#field-response-error').count()).toBe(0);
    expect(await page.inputValue('#field-response')).toBe('');

    // The submitter's mail, through the outbox, the worker and SMTP; the desk then shows it sent.
    const mail = await waitFor(
      () => smtp.to(submitter).find((m) => (m.parsed.text ?? '').includes(answer)),
      20_000,
      'answer mail',
    );
    expect(mail.parsed.subject).toContain(main.trackingCode);
    expect(mail.parsed.inReplyTo).toBe(receipt.parsed.messageId);
    await waitFor(
      async () => {
        await page.reload();
        return (await text(page, '.response')).includes('Email: đã gửi');
      },
      20_000,
      'delivery status on the desk',
    );
    await screenshot(page, 'desk-case-answered');

    // 6. Close with an outcome, by keyboard: type, Tab to the button, Enter.
    const outcome = 'Đã vá xong các ổ gà trên đường tổ 7.';
    await page.getByLabel('Kết quả xử lý', { exact: true }).fill(outcome);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'BUTTON', text: 'Kết thúc xử lý' });
    // The page is already at ?ok=1: wait for the new document, not for the URL.
    const closed = await navigation(page, () => page.keyboard.press('Enter'));
    expect(`${closed.pathname}${closed.search}`).toBe(`/ban-lam-viec/ho-so/${main.caseId}?ok=1`);
    await expect(text(page, 'aside.case-side dd .status')).resolves.toBe('Đã kết thúc');
    await expect(text(page, 'aside.case-side dl')).resolves.toContain(outcome);
    await expect(text(page, '.timeline')).resolves.toContain(`Đã kết thúc xử lý: ${outcome}`);
    expect(await caseRow(main.caseId)).toMatchObject({ status: 'closed', outcome });
    await screenshot(page, 'desk-case-closed');

    // Back to the list: "/" puts the cursor in the search box (gopy.js), typing nothing.
    const list = await navigation(page, () =>
      page.getByRole('link', { name: '← Danh sách hồ sơ', exact: true }).click(),
    );
    expect(list.pathname).toBe('/ban-lam-viec');
    expect((await focused(page))?.id).not.toBe('f-q');
    await page.keyboard.press('/');
    expect((await focused(page))?.id).toBe('f-q');
    expect(await page.inputValue('#f-q')).toBe('');
    await expect(text(page, 'table.cases tbody')).resolves.toContain('Đã kết thúc');

    // 7. English, from the header.
    const english = await navigation(page, () => page.locator('header.site a[hreflang="en"]').click());
    expect(english.pathname).toBe('/ban-lam-viec');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(text(page, 'h1')).resolves.toBe('My cases');
    expect(await page.getByRole('link', { name: 'My cases', exact: true }).count()).toBe(1);
    expect(await page.getByLabel('Search the text', { exact: true }).count()).toBe(1);
    await expect(text(page, 'table.cases tbody')).resolves.toContain('Closed');
    await expect(text(page, 'header.site')).resolves.toContain('Collaborator');
    await screenshot(page, 'desk-list-en');

    // 8. Sign out: back at the sign-in form; the desk asks to sign in again.
    const signedOut = await navigation(page, () => page.getByRole('button', { name: 'Sign out', exact: true }).click());
    expect(signedOut.pathname).toBe('/dang-nhap');
    await expect(text(page, 'h1')).resolves.toBe('Sign in to the desk');
    await page.goto(`${gopy.baseUrl}/ban-lam-viec`);
    expect(new URL(page.url()).pathname).toBe('/dang-nhap');
    await page.goto(`${gopy.baseUrl}/ban-lam-viec/ho-so/${main.caseId}`);
    expect(new URL(page.url()).pathname).toBe('/dang-nhap');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/ban-lam-viec/ho-so/${main.caseId}`);

    // No script errors, no Content-Security-Policy violations, no failed sub-resources.
    expect(session.problems()).toEqual([]);
  });

  it('shows the list and the case page on a phone (360x740), every field labelled', async () => {
    const fx = await deskFixture();
    const subject = 'Ổ gà lớn trước cổng trường tiểu học';
    const opinion =
      'Trước cổng trường tiểu học Hòa Bình có một ổ gà lớn, sáng nào phụ huynh đưa con đi học cũng phải tránh.';
    const { trackingCode, caseId } = await submitOpinion(gopy, {
      unitCode: fx.unitA,
      email: `phuhuynh.${fx.run.toLowerCase()}@example.vn`,
      subject,
      body: opinion,
    });
    const mine = await routedTo(fx, caseId);

    session = await openBrowser({ javaScriptEnabled: true });
    const { page } = session;
    await page.goto(`${gopy.baseUrl}/ban-lam-viec`);
    expect(new URL(page.url()).pathname).toBe('/dang-nhap');
    await signIn(page, mine.email);

    await expect(text(page, 'h1')).resolves.toBe('Hồ sơ của tôi');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await page.evaluate(() => document.documentElement.clientWidth)).toBe(PHONE_VIEWPORT.width);
    await expect(text(page, 'table.cases')).resolves.toContain(trackingCode);
    expect(await unlabelledFields(page)).toEqual([]);
    expect(await duplicateIds(page)).toEqual([]);
    // The wide table scrolls inside its own box; the page itself does not scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
    await screenshot(page, 'desk-list-phone');

    const casePage = await navigation(page, () => page.getByRole('link', { name: trackingCode, exact: true }).click());
    expect(casePage.pathname).toBe(`/ban-lam-viec/ho-so/${caseId}`);
    await expect(text(page, 'h1')).resolves.toBe(`${trackingCode} ${subject}`);
    await expect(text(page, '.opinion .body')).resolves.toBe(opinion);
    expect(await page.getByRole('heading', { name: 'Vì sao hồ sơ đến đây', exact: true }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Thời hạn', exact: true }).count()).toBe(1);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await unlabelledFields(page)).toEqual([]);
    expect(await duplicateIds(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
    await screenshot(page, 'desk-case-phone');
    expect(session.problems()).toEqual([]);
  });
});

/**
 * Runs an action that loads a new page (a click, Enter in a form) and waits for that new
 * document to load, even when it has the URL the page already had (a form that redirects
 * back to the page it is on, the language switch): page.waitForURL alone would return at
 * once there, before the new page arrives. Returns the new URL.
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

/** Presses Tab until a button with this text has the focus (and shows it); fails after `max`. */
async function tabTo(page: Page, name: string, max = 80): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now?.tag === 'BUTTON' && now.text === name) {
      expect(now.ring).toBe(true);
      return presses;
    }
  }
  throw new Error(`Tab never reached the button "${name}"`);
}

/**
 * An axe-like check without axe: every visible form control has a label with text (a
 * <label for>, a wrapping label, aria-label or aria-labelledby).
 */
async function unlabelledFields(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('input, select, textarea'))
      .filter((el) => el.type !== 'hidden')
      .filter((el) => {
        const labels = Array.from(el.labels ?? []).filter((l) => (l.textContent ?? '').trim().length > 0);
        const aria = (el.getAttribute('aria-label') ?? '').trim() || el.getAttribute('aria-labelledby');
        return labels.length === 0 && !aria;
      })
      .map((el) => `${el.tagName.toLowerCase()}#${el.id}[name=${el.getAttribute('name')}]`),
  );
}

/** Ids used more than once: a <label for> would then name the wrong field. */
async function duplicateIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const ids = Array.from(document.querySelectorAll('[id]')).map((el) => el.id);
    return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  });
}
