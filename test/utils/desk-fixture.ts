import { randomUUID } from 'node:crypto';
import { StaffUsersService, type StaffRole } from '@gopy/auth';
import { DirectoryImportService } from '@gopy/directory';
import type { GopyHarness } from './gopy-harness';

export const PASSWORD = 'mật-khẩu-thử-nghiệm-đủ-dài';

const TOPICS = new Set(['gop_y_chinh_sach', 'phan_anh_kien_nghi', 'hoi_dap', 'tam_tu_du_luan', 'khen_ngoi', 'khac']);

export interface DeskFixture {
  run: string;
  unitA: string;
  unitB: string;
  // Collaborator keys: two communicators in unit A, one in unit B.
  a1: string;
  a2: string;
  b1: string;
  emails: Record<
    'admin' | 'committee' | 'coordinator' | 'leadA' | 'operatorA' | 'collabA1' | 'collabA2' | 'collabB1',
    string
  >;
}

/** Two units, three collaborators and one account per role, all named for this run. */
export async function createDeskFixture(gopy: GopyHarness): Promise<DeskFixture> {
  if (!gopy.api) throw new Error('start the API first');
  const directory = gopy.api.get(DirectoryImportService);
  const users = gopy.api.get(StaffUsersService);
  const run = randomUUID().slice(0, 6).toUpperCase();
  const unitA = `A${run}`;
  const unitB = `B${run}`;
  const units = await directory.import(
    'units',
    [
      { ma_don_vi: unitA, ten_don_vi: 'Chi bộ Phường Hòa Bình' },
      { ma_don_vi: unitB, ten_don_vi: 'Đảng bộ Xã Tân Lập' },
    ],
    TOPICS,
  );
  if (units.errors.length) throw new Error(JSON.stringify(units.errors));
  const row = (key: string, name: string, unit: string) => ({
    key,
    full_name: name,
    email: `${key.toLowerCase()}@example.vn`,
    phone: '',
    unit,
    role: 'tuyen_truyen_vien',
    topics: 'gop_y_chinh_sach;phan_anh_kien_nghi;hoi_dap;khen_ngoi;khac',
    capacity: '10',
    active: 'co',
  });
  const a1 = `K${run}A1`;
  const a2 = `K${run}A2`;
  const b1 = `K${run}B1`;
  const people = await directory.import(
    'collaborators',
    [row(a1, 'Nguyễn Thị Ánh', unitA), row(a2, 'Trần Văn Bảo', unitA), row(b1, 'Lê Minh Châu', unitB)],
    TOPICS,
  );
  if (people.errors.length) throw new Error(JSON.stringify(people.errors));
  const email = (name: string) => `${name}.${run.toLowerCase()}@example.vn`;
  const emails: DeskFixture['emails'] = {
    admin: email('admin'),
    committee: email('committee'),
    coordinator: email('coordinator'),
    leadA: email('lead-a'),
    operatorA: email('operator-a'),
    collabA1: email('collab-a1'),
    collabA2: email('collab-a2'),
    collabB1: email('collab-b1'),
  };
  const account = (address: string, roles: StaffRole[], extra: { unitCode?: string; collaboratorKey?: string } = {}) =>
    users.create(
      { email: address, fullName: `Cán bộ ${address.split('@')[0]}`, password: PASSWORD, roles, ...extra },
      'test',
    );
  await account(emails.admin, ['admin']);
  await account(emails.committee, ['committee']);
  await account(emails.coordinator, ['operator']);
  await account(emails.leadA, ['unit_lead'], { unitCode: unitA });
  await account(emails.operatorA, ['operator'], { unitCode: unitA });
  await account(emails.collabA1, ['collaborator'], { collaboratorKey: a1 });
  await account(emails.collabA2, ['collaborator'], { collaboratorKey: a2 });
  await account(emails.collabB1, ['collaborator'], { collaboratorKey: b1 });
  return { run, unitA, unitB, a1, a2, b1, emails };
}

export interface Reply {
  statusCode: number;
  body: string;
  headers: Record<string, unknown>;
}

/** A signed-in browser, as far as the server can tell: the session cookie and the CSRF token. */
export class StaffSession {
  constructor(
    private readonly gopy: GopyHarness,
    readonly cookie: string,
    public csrf: string,
  ) {}

  static async login(gopy: GopyHarness, email: string, password = PASSWORD): Promise<StaffSession> {
    const attempt = await loginAttempt(gopy, email, password);
    if (attempt.statusCode !== 303) throw new Error(`login of ${email} answered ${attempt.statusCode}`);
    const cookie = String(attempt.headers['set-cookie']).match(/gopy_session=([^;]+)/)?.[1];
    if (!cookie) throw new Error('no session cookie');
    const session = new StaffSession(gopy, `gopy_session=${cookie}`, '');
    const page = await session.get('/ban-lam-viec');
    session.csrf = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
    return session;
  }

  async get(url: string, accept = 'text/html'): Promise<Reply> {
    const reply = await this.gopy.inject({ method: 'GET', url, headers: { cookie: this.cookie, accept } });
    return { statusCode: reply.statusCode, body: reply.body, headers: reply.headers };
  }

  async post(url: string, form: Record<string, string> = {}, csrf: string | null = this.csrf): Promise<Reply> {
    const fields = new URLSearchParams({ ...form, ...(csrf === null ? {} : { _csrf: csrf }) });
    const reply = await this.gopy.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: fields.toString(),
    });
    return { statusCode: reply.statusCode, body: reply.body, headers: reply.headers };
  }
}

/** One sign-in attempt through the real form: the page's token, its cookie, then the post. */
export async function loginAttempt(gopy: GopyHarness, email: string, password: string): Promise<Reply> {
  const page = await gopy.inject({ method: 'GET', url: '/dang-nhap' });
  const token = page.body.match(/name="_login" value="([^"]+)"/)?.[1] ?? '';
  const loginCookie = String(page.headers['set-cookie']).match(/gopy_login=([^;]+)/)?.[1] ?? '';
  const reply = await gopy.inject({
    method: 'POST',
    url: '/dang-nhap',
    headers: { cookie: `gopy_login=${loginCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _login: token, email, password, next: '/ban-lam-viec' }).toString(),
  });
  return { statusCode: reply.statusCode, body: reply.body, headers: reply.headers };
}

/** Submits an opinion through the JSON API and returns its tracking code and case id. */
export async function submitOpinion(
  gopy: GopyHarness,
  input: { unitCode?: string; email?: string; topic?: string; subject?: string; body?: string },
): Promise<{ trackingCode: string; caseId: string }> {
  const contact = input.email
    ? { anonymous: false, name: 'Phạm Thị Dung', email: input.email, consent: true }
    : { anonymous: true };
  const reply = await gopy.inject({
    method: 'POST',
    url: '/api/v1/submissions',
    payload: {
      topic: input.topic ?? 'phan_anh_kien_nghi',
      subject: input.subject ?? 'Đường sá xuống cấp ở tổ 7',
      body: input.body ?? 'Đoạn đường tổ 7 có nhiều ổ gà sau mưa, xe máy đi lại rất nguy hiểm vào buổi tối.',
      ...(input.unitCode ? { unitCode: input.unitCode } : {}),
      ...contact,
    },
  });
  if (reply.statusCode !== 201) throw new Error(`submission answered ${reply.statusCode}: ${reply.body}`);
  const trackingCode = reply.json().trackingCode as string;
  const { rows } = await gopy.db.query(`SELECT id FROM cases WHERE tracking_code = $1`, [
    trackingCode.replace(/-/g, ''),
  ]);
  return { trackingCode, caseId: rows[0].id };
}
