import { GopyHarness } from './utils/gopy-harness';
import { DeskFixture, PASSWORD, StaffSession, createDeskFixture, loginAttempt } from './utils/desk-fixture';
import { testConfig } from './utils/test-env';

describe('signing in and out of the desk', () => {
  let gopy: GopyHarness;
  let fx: DeskFixture;

  beforeAll(async () => {
    gopy = new GopyHarness(testConfig({ LOGIN_FAILURES_PER_15_MINUTES: '3' }));
    await gopy.startApi();
    fx = await createDeskFixture(gopy);
  });

  afterAll(() => gopy.stop());

  it('opens a server-side session in an httpOnly, SameSite cookie and stores only its hash', async () => {
    const reply = await loginAttempt(gopy, fx.emails.leadA.toUpperCase(), PASSWORD);
    expect(reply.statusCode).toBe(303);
    expect(reply.headers.location).toBe('/ban-lam-viec');
    const cookie = String(reply.headers['set-cookie']);
    expect(cookie).toMatch(/gopy_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
    const token = cookie.match(/gopy_session=([\w-]+)/)?.[1] as string;
    const { rows } = await gopy.db.query(`SELECT token_hash FROM staff_sessions WHERE token_hash = $1`, [token]);
    expect(rows).toHaveLength(0);
    const audit = await gopy.db.query(
      `SELECT 1 FROM audit_log a JOIN staff_users u ON a.actor = 'staff:' || u.id WHERE u.email = $1 AND a.action = 'auth.login'`,
      [fx.emails.leadA],
    );
    expect(audit.rowCount).toBe(1);
  });

  it('refuses a wrong password or an unknown account with the same message, and throttles after 3 failures', async () => {
    const wrong = await loginAttempt(gopy, fx.emails.operatorA, 'sai-mat-khau-roi');
    const unknown = await loginAttempt(gopy, `khong-ai.${fx.run}@example.vn`, 'sai-mat-khau-roi');
    for (const reply of [wrong, unknown]) {
      expect(reply.statusCode).toBe(401);
      expect(reply.body).toContain('Email hoặc mật khẩu không đúng.');
      expect(reply.headers['set-cookie']).not.toMatch(/gopy_session=[\w-]/);
    }
    await loginAttempt(gopy, fx.emails.operatorA, 'sai-mat-khau-lan-2');
    await loginAttempt(gopy, fx.emails.operatorA, 'sai-mat-khau-lan-3');
    const throttled = await loginAttempt(gopy, fx.emails.operatorA, PASSWORD);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.body).toContain('Đăng nhập sai quá nhiều lần');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    // Another account from the same address is not locked out by it.
    expect((await loginAttempt(gopy, fx.emails.committee, PASSWORD)).statusCode).toBe(303);
  });

  it('refuses a login form posted from elsewhere (no matching cookie)', async () => {
    const reply = await gopy.inject({
      method: 'POST',
      url: '/dang-nhap',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _login: 'abc', email: fx.emails.admin, password: PASSWORD }).toString(),
    });
    expect(reply.statusCode).toBe(403);
    expect(reply.headers['set-cookie']).not.toMatch(/gopy_session=[\w-]/);
  });

  it('never redirects off the desk after sign-in', async () => {
    const page = await gopy.inject({ method: 'GET', url: '/dang-nhap' });
    const token = page.body.match(/name="_login" value="([^"]+)"/)?.[1] ?? '';
    const cookie = String(page.headers['set-cookie']).match(/gopy_login=([^;]+)/)?.[1] ?? '';
    const reply = await gopy.inject({
      method: 'POST',
      url: '/dang-nhap',
      headers: { cookie: `gopy_login=${cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _login: token,
        email: fx.emails.admin,
        password: PASSWORD,
        next: '//evil.example/x',
      }).toString(),
    });
    expect(reply.headers.location).toBe('/ban-lam-viec');
  });

  it('ends the session on sign-out', async () => {
    const session = await StaffSession.login(gopy, fx.emails.coordinator);
    expect((await session.get('/ban-lam-viec')).statusCode).toBe(200);
    const out = await session.post('/dang-xuat');
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/dang-nhap');
    expect((await session.get('/ban-lam-viec')).statusCode).toBe(303);
  });

  it('ends a session left idle past its time', async () => {
    const session = await StaffSession.login(gopy, fx.emails.operatorA.replace('operator-a', 'lead-a'));
    expect((await session.get('/ban-lam-viec')).statusCode).toBe(200);
    await gopy.db.query(
      `UPDATE staff_sessions SET expires_at = now() - interval '1 second'
        WHERE user_id = (SELECT id FROM staff_users WHERE email = $1)`,
      [fx.emails.leadA],
    );
    expect((await session.get('/ban-lam-viec')).statusCode).toBe(303);
  });

  it('slides the idle clock with use, writing the session at most once a minute', async () => {
    const session = await StaffSession.login(gopy, fx.emails.collabA2);
    const seen = async () =>
      (
        await gopy.db.query(
          `SELECT s.last_seen_at, s.expires_at FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id
            WHERE u.email = $1`,
          [fx.emails.collabA2],
        )
      ).rows[0] as { last_seen_at: Date; expires_at: Date };
    const first = await seen();
    for (let i = 0; i < 3; i++) expect((await session.get('/ban-lam-viec')).statusCode).toBe(200);
    expect(await seen()).toEqual(first);
    // Two minutes later the next request moves both forward.
    await gopy.db.query(
      `UPDATE staff_sessions SET last_seen_at = last_seen_at - interval '2 minutes', expires_at = expires_at - interval '2 minutes'
        WHERE user_id = (SELECT id FROM staff_users WHERE email = $1)`,
      [fx.emails.collabA2],
    );
    expect((await session.get('/ban-lam-viec')).statusCode).toBe(200);
    const later = await seen();
    expect(later.last_seen_at.getTime()).toBeGreaterThan(first.last_seen_at.getTime() - 1000);
    expect(later.expires_at.getTime()).toBeGreaterThanOrEqual(first.expires_at.getTime() - 1000);
    expect(later.expires_at.getTime() - later.last_seen_at.getTime()).toBe(
      first.expires_at.getTime() - first.last_seen_at.getTime(),
    );
  });

  it('revokes every session of an account the admin disables, at once', async () => {
    const victim = await StaffSession.login(gopy, fx.emails.collabB1);
    const admin = await StaffSession.login(gopy, fx.emails.admin);
    const { rows } = await gopy.db.query(`SELECT id FROM staff_users WHERE email = $1`, [fx.emails.collabB1]);
    expect((await admin.post(`/ban-lam-viec/quan-tri/tai-khoan/${rows[0].id}/khoa`)).statusCode).toBe(303);
    expect((await victim.get('/ban-lam-viec')).statusCode).toBe(303);
    expect((await gopy.db.query(`SELECT 1 FROM staff_sessions WHERE user_id = $1`, [rows[0].id])).rowCount).toBe(0);
    expect((await loginAttempt(gopy, fx.emails.collabB1, PASSWORD)).statusCode).toBe(401);
    const audit = await gopy.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'staff.disabled' AND detail->>'userId' = $1`,
      [rows[0].id],
    );
    expect(audit.rowCount).toBe(1);
  });

  it('lets an admin create an account: bad input is refused field by field and creates nothing', async () => {
    const admin = await StaffSession.login(gopy, fx.emails.admin);
    const email = `moi.${fx.run.toLowerCase()}@example.vn`;
    const bad = await admin.post('/ban-lam-viec/quan-tri/tai-khoan', {
      fullName: 'A',
      email: 'khong-phai-email',
      password: 'ngan',
      collaboratorKey: 'KHONG-CO',
    });
    expect(bad.statusCode).toBe(422);
    for (const message of ['không đúng định dạng', 'cần ít nhất 12 ký tự', 'Vui lòng chọn vai trò'])
      expect(bad.body).toContain(message);
    expect((await gopy.db.query(`SELECT 1 FROM staff_users WHERE full_name = 'A'`)).rowCount).toBe(0);
    const good = await admin.post('/ban-lam-viec/quan-tri/tai-khoan', {
      fullName: 'Vũ Thị Hạnh',
      email,
      password: 'mot-mat-khau-du-dai',
      role_operator: '1',
      unitCode: fx.unitB,
    });
    expect(good.statusCode).toBe(303);
    const taken = await admin.post('/ban-lam-viec/quan-tri/tai-khoan', {
      fullName: 'Vũ Thị Hạnh',
      email: email.toUpperCase(),
      password: 'mot-mat-khau-du-dai',
      role_operator: '1',
    });
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('đã có tài khoản khác sử dụng');
    expect((await loginAttempt(gopy, email, 'mot-mat-khau-du-dai')).statusCode).toBe(303);
  });

  it('shows the routing and SLA rules read-only to admins', async () => {
    const admin = await StaffSession.login(gopy, fx.emails.admin);
    const page = await admin.get('/ban-lam-viec/quan-tri');
    expect(page.body).toContain('role_by_topic');
    expect(page.body).toContain('reminder_share');
    expect(page.body).not.toMatch(/<textarea[^>]*routing/);
  });
});
