import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import type { MailboxConfig } from '@gopy/config';
import { GopyConfig } from '@gopy/config';
import { CreateSubmissionDto, IntakeService, ReceiptService, recipientHash } from '@gopy/intake';
import { MailboxImporter } from '@gopy/mailbox';
import { GopyHarness } from './utils/gopy-harness';
import { DeskFixture, StaffSession, createDeskFixture } from './utils/desk-fixture';
import { OwnDovecot } from './utils/dovecot';
import { SmtpCapture } from './utils/smtp-capture';
import { testConfig } from './utils/test-env';
import { waitFor } from './utils/wait-for';

const FIXTURES = join(__dirname, 'fixtures', 'mail');
const fixture = (name: string) => readFile(join(FIXTURES, name));

/** A plain mail as a person would write it; CRLF, UTF-8. */
function mail(input: { from: string; subject: string; body: string; messageId?: string; headers?: string[] }): Buffer {
  const lines = [
    `From: Người gửi <${input.from}>`,
    'To: hopthu@gopy.test',
    `Subject: =?UTF-8?B?${Buffer.from(input.subject).toString('base64')}?=`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${input.messageId ?? `<${randomUUID()}@example.vn>`}`,
    ...(input.headers ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    input.body,
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}

describe('the mail channel against a real IMAP server', () => {
  const dovecot = new OwnDovecot();
  const smtp = new SmtpCapture();
  let gopy: GopyHarness;
  let fx: DeskFixture;
  let importer: MailboxImporter;
  let boxA: MailboxConfig;
  let boxB: MailboxConfig;
  const run = randomUUID().slice(0, 6);
  const userA = `hopthu-a-${run}`;
  const userB = `hopthu-b-${run}`;
  let settings: Record<string, string>;

  beforeAll(async () => {
    await dovecot.start();
    await dovecot.addUser(userA, 'mat-khau-a');
    await dovecot.addUser(userB, 'mat-khau-b');
    await smtp.start();
    // The directory comes first (the mailbox names a unit), from a throwaway API.
    const setup = new GopyHarness(testConfig());
    await setup.startApi();
    fx = await createDeskFixture(setup);
    await setup.stop();
    const dir = await mkdtemp(join(tmpdir(), 'gopy-mailboxes-'));
    const file = join(dir, 'mailboxes.yaml');
    await writeFile(
      file,
      [
        'mailboxes:',
        `  - { name: a-${run}, address: hopthu-a@gopy.test, host: 127.0.0.1, port: ${dovecot.port}, tls: false,`,
        `      user: ${userA}, password_env: GOPY_MAILBOX_A_PASSWORD, unit: ${fx.unitA}, topic: phan_anh_kien_nghi }`,
        `  - { name: b-${run}, address: hopthu-b@gopy.test, host: 127.0.0.1, port: ${dovecot.port}, tls: false,`,
        `      user: ${userB}, password_env: GOPY_MAILBOX_B_PASSWORD, topic: khac }`,
      ].join('\n'),
    );
    settings = {
      SMTP_URL: smtp.url,
      MAILBOXES_FILE: file,
      MAILBOX_POLL_SECONDS: '0',
      MAIL_MAX_BYTES: '200000',
      GOPY_MAILBOX_A_PASSWORD: 'mat-khau-a',
      GOPY_MAILBOX_B_PASSWORD: 'mat-khau-b',
    };
    gopy = new GopyHarness(testConfig(settings));
    await gopy.startApi();
    const worker = await gopy.startWorker();
    importer = worker.get(MailboxImporter);
    [boxA, boxB] = importer.mailboxes;
  });

  afterAll(async () => {
    await gopy.stop();
    await smtp.stop();
    await dovecot.destroy();
  });

  async function folderUids(user: string, folder: string): Promise<number> {
    const client = new ImapFlow(dovecot.imapConfig(user));
    client.on('error', () => undefined);
    await client.connect();
    try {
      const status = await client.status(folder, { messages: true }).catch(() => false as const);
      return status ? (status.messages ?? 0) : 0;
    } finally {
      await client.logout();
    }
  }

  async function caseOf(messageId: string) {
    const { rows } = await gopy.db.query(
      `SELECT i.status, i.case_id, c.channel, c.status AS case_status, c.tracking_code, u.code AS unit_code,
              s.body, s.subject
         FROM inbound_messages i LEFT JOIN cases c ON c.id = i.case_id LEFT JOIN units u ON u.id = c.unit_id
         LEFT JOIN submissions s ON s.id = i.submission_id
        WHERE i.message_id = $1 ORDER BY i.created_at`,
      [messageId],
    );
    return rows;
  }

  it('imports a mail into a case of the mailbox’s unit, receipts it in the same thread, moves it, and never twice', async () => {
    await dovecot.append(userA, 'INBOX', await fixture('utf8-plain.eml'), ['\\Seen']);
    const first = await importer.poll(boxA);
    expect(first).toMatchObject({ seen: 1, imported: 1, failed: 0 });
    const [row] = await caseOf('<CAB7x2LpQ1.utf8plain@mail.example.vn>');
    expect(row).toMatchObject({ status: 'imported', channel: 'email', unit_code: fx.unitA });
    expect(row.body).toContain('Đoạn đường Lê Thánh Tôn');
    expect(row.body).toBe(row.body.normalize('NFC'));
    expect(await folderUids(userA, 'INBOX')).toBe(0);
    expect(await folderUids(userA, 'Processed')).toBe(1);
    // The raw source is kept, sealed.
    const raw = await gopy.db.query(`SELECT raw_ciphertext FROM inbound_messages WHERE message_id = $1`, [
      '<CAB7x2LpQ1.utf8plain@mail.example.vn>',
    ]);
    expect((raw.rows[0].raw_ciphertext as Buffer).includes(Buffer.from('Lê Thánh Tôn'))).toBe(false);

    const receipt = await waitFor(() => smtp.to('an.nguyen@example.vn')[0], 15_000, 'receipt');
    expect(receipt.parsed.inReplyTo).toBe('<CAB7x2LpQ1.utf8plain@mail.example.vn>');
    expect(receipt.parsed.replyTo?.text).toContain('hopthu-a@gopy.test');
    // Sent from the mailbox itself, so a reply to any of our mails comes back to it.
    expect(receipt.parsed.from?.value[0].address).toBe('hopthu-a@gopy.test');
    expect(receipt.parsed.headers.get('auto-submitted')).toBe('auto-replied');

    expect(await importer.poll(boxA)).toMatchObject({ seen: 0, imported: 0 });

    // A reply to the receipt joins the case as a follow-up; no second receipt.
    await dovecot.append(
      userA,
      'INBOX',
      mail({
        from: 'an.nguyen@example.vn',
        subject: `Re: ${receipt.parsed.subject}`,
        body: 'Bổ sung: hôm nay lại có thêm một vụ ngã xe ở đoạn này.',
        headers: [`In-Reply-To: ${receipt.parsed.messageId}`, `References: ${receipt.parsed.messageId}`],
      }),
    );
    expect(await importer.poll(boxA)).toMatchObject({ imported: 1 });
    const { rows } = await gopy.db.query(
      `SELECT kind, channel FROM submissions WHERE case_id = $1 ORDER BY received_at`,
      [row.case_id],
    );
    expect(rows.map((r) => r.kind)).toEqual(['initial', 'follow_up']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(smtp.to('an.nguyen@example.vn')).toHaveLength(1);
  });

  it('threads by the tracking code in the subject, and ignores an out-of-office answer to our mail', async () => {
    const sender = `chi.${run}@example.vn`;
    const messageId = `<first.${run}@example.vn>`;
    await dovecot.append(
      userA,
      'INBOX',
      mail({
        from: sender,
        subject: 'Cống thoát nước bị tắc',
        body: 'Cống ở đầu ngõ 9 bị tắc, nước tràn lên đường mỗi khi mưa.',
        messageId,
      }),
    );
    await importer.poll(boxA);
    const [created] = await caseOf(messageId);
    const code = String(created.tracking_code);
    const pretty = `${code.slice(0, 5)}-${code.slice(5, 10)}-${code.slice(10)}`;
    const receipt = await waitFor(() => smtp.to(sender)[0], 15_000, 'receipt');

    await dovecot.append(
      userA,
      'INBOX',
      mail({
        from: sender,
        subject: `Re: [${pretty}] Cống thoát nước`,
        body: 'Cống vẫn chưa được thông, xin kiểm tra lại.',
      }),
    );
    await dovecot.append(
      userA,
      'INBOX',
      mail({
        from: sender,
        subject: 'Trả lời tự động: tôi đang đi công tác',
        body: 'Tôi đang đi công tác đến hết tuần.',
        headers: ['Auto-Submitted: auto-replied', `In-Reply-To: ${receipt.parsed.messageId}`],
      }),
    );
    expect(await importer.poll(boxA)).toMatchObject({ seen: 2, imported: 2 });
    const statuses = await gopy.db.query(`SELECT status FROM inbound_messages WHERE case_id = $1 ORDER BY created_at`, [
      created.case_id,
    ]);
    expect(statuses.rows.map((r) => r.status)).toEqual(['imported', 'follow_up', 'auto_reply']);
    const submissions = await gopy.db.query(`SELECT count(*)::int AS n FROM submissions WHERE case_id = $1`, [
      created.case_id,
    ]);
    expect(submissions.rows[0].n).toBe(2);
  });

  it('sends no receipt to list mail or auto-replies, and at most one a day to a sender', async () => {
    await dovecot.append(userB, 'INBOX', await fixture('list-mail.eml'));
    await dovecot.append(userB, 'INBOX', await fixture('auto-reply-ooo.eml'));
    const loop = `robot.${run}@example.vn`;
    await dovecot.append(userB, 'INBOX', mail({ from: loop, subject: 'Thư thứ nhất của máy', body: 'Nội dung một.' }));
    await dovecot.append(userB, 'INBOX', mail({ from: loop, subject: 'Thư thứ hai của máy', body: 'Nội dung hai.' }));
    expect(await importer.poll(boxB)).toMatchObject({ seen: 4, imported: 4 });
    await waitFor(() => smtp.to(loop)[0], 15_000, 'first receipt');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(smtp.to(loop)).toHaveLength(1);
    const { rows } = await gopy.db.query(
      `SELECT count(*)::int AS n FROM outbound_mails m JOIN inbound_messages i ON i.case_id = m.case_id
        WHERE i.mailbox = $1 AND m.kind = 'receipt'`,
      [boxB.name],
    );
    expect(rows[0].n).toBe(1);
  });

  it('keeps two different mails that share a Message-ID, and makes one case of one mail sent to two mailboxes', async () => {
    await dovecot.append(userB, 'INBOX', await fixture('duplicate-id-a.eml'));
    await dovecot.append(userB, 'INBOX', await fixture('duplicate-id-b.eml'));
    await importer.poll(boxB);
    const { rows: pair } = await gopy.db.query(
      `SELECT DISTINCT case_id FROM inbound_messages WHERE mailbox = $1 AND message_id =
         (SELECT message_id FROM inbound_messages WHERE mailbox = $1 GROUP BY message_id HAVING count(*) = 2 LIMIT 1)`,
      [boxB.name],
    );
    expect(pair).toHaveLength(2);

    const both = mail({
      from: `hai.${run}@example.vn`,
      subject: 'Gửi cả hai hộp thư',
      body: 'Một thư gửi đồng thời tới hai địa chỉ.',
      messageId: `<both.${run}@example.vn>`,
    });
    await dovecot.append(userA, 'INBOX', Buffer.concat([Buffer.from('Delivered-To: a@gopy.test\r\n'), both]));
    await dovecot.append(userB, 'INBOX', Buffer.concat([Buffer.from('Delivered-To: b@gopy.test\r\n'), both]));
    await importer.poll(boxA);
    await importer.poll(boxB);
    const rows = await caseOf(`<both.${run}@example.vn>`);
    expect(rows.map((r) => r.status)).toEqual(['imported', 'duplicate']);
    expect(rows[0].case_id).toBe(rows[1].case_id);
  });

  it('marks our answer failed when it bounces', async () => {
    const bounced = '<response.00000000-0000-4000-8000-000000000001@gopy.test>';
    const { rows: cases } = await gopy.db.query(`SELECT id FROM cases LIMIT 1`);
    await gopy.db.query(
      `INSERT INTO outbound_mails (kind, ref_id, case_id, to_ciphertext, to_key_id, subject, html, text, message_id, status)
       VALUES ('response', gen_random_uuid(), $1, '\\x00', 'test', 's', 'h', 't', $2, 'sent')
       ON CONFLICT (message_id) DO UPDATE SET status = 'sent'`,
      [cases[0].id, bounced],
    );
    await dovecot.append(userB, 'INBOX', await fixture('bounce-dsn.eml'));
    await importer.poll(boxB);
    const { rows } = await gopy.db.query(`SELECT status FROM outbound_mails WHERE message_id = $1`, [bounced]);
    expect(rows[0].status).toBe('failed');
  });

  it('quarantines a malformed mail after three tries (downloaded no more) and an oversized one with one polite reply', async () => {
    await dovecot.append(userB, 'INBOX', await fixture('malformed.eml'));
    for (let i = 0; i < 2; i++) expect(await importer.poll(boxB)).toMatchObject({ failed: 1, quarantined: 0 });
    expect(await importer.poll(boxB)).toMatchObject({ quarantined: 1 });
    expect(await importer.poll(boxB)).toMatchObject({ seen: 0 });
    expect(await folderUids(userB, 'Quarantine')).toBe(1);

    await dovecot.append(userB, 'INBOX', await fixture('oversized.eml'));
    expect(await importer.poll(boxB)).toMatchObject({ quarantined: 1, imported: 0 });
    const reply = await waitFor(() => smtp.to('anh.lon@example.vn')[0], 15_000, 'polite reply');
    expect(reply.parsed.subject).toContain('quá lớn');
    expect(await folderUids(userB, 'Quarantine')).toBe(2);
    const health = (await importer.health()).find((h) => h.name === boxB.name);
    expect(health).toMatchObject({ quarantined: 2 });
  });

  it('survives a crash before the commit and one between the commit and the move, without loss or duplicates', async () => {
    const messageId = `<crash.${run}@example.vn>`;
    await dovecot.append(
      userA,
      'INBOX',
      mail({
        from: `ba.${run}@example.vn`,
        subject: 'Đèn tín hiệu giao thông hỏng',
        body: 'Đèn tín hiệu ở ngã ba chợ đã hỏng ba ngày.',
        messageId,
      }),
    );
    const intake = gopy.worker?.get(IntakeService) as IntakeService;
    const submitIn = jest.spyOn(intake, 'submitIn').mockRejectedValueOnce(new Error('process killed'));
    expect(await importer.poll(boxA)).toMatchObject({ failed: 1, imported: 0 });
    submitIn.mockRestore();
    expect(await caseOf(messageId)).toHaveLength(0);
    expect(await folderUids(userA, 'INBOX')).toBe(1);

    const move = jest
      .spyOn(importer as unknown as { move: () => Promise<void> }, 'move')
      .mockRejectedValueOnce(new Error('connection lost'));
    await importer.poll(boxA);
    move.mockRestore();
    expect(await caseOf(messageId)).toHaveLength(1);
    expect(await folderUids(userA, 'INBOX')).toBe(1);
    expect(await importer.poll(boxA)).toMatchObject({ seen: 1, imported: 0, failed: 0 });
    expect(await folderUids(userA, 'INBOX')).toBe(0);
    expect(await caseOf(messageId)).toHaveLength(1);
  });

  it('records a poll against a stopped server and catches up once it is back', async () => {
    await dovecot.stop();
    expect(await importer.poll(boxA)).toMatchObject({ failed: 1 });
    const health = (await importer.health()).find((h) => h.name === boxA.name);
    expect(health?.lastError).toBeTruthy();
    await dovecot.start();
    const messageId = `<after-restart.${run}@example.vn>`;
    await dovecot.append(
      userA,
      'INBOX',
      mail({
        from: `bon.${run}@example.vn`,
        subject: 'Sau khi máy chủ khởi động lại',
        body: 'Thư gửi khi máy chủ thư vừa chạy lại.',
        messageId,
      }),
    );
    expect(await importer.poll(boxA)).toMatchObject({ imported: 1, failed: 0 });
    expect(await caseOf(messageId)).toHaveLength(1);
  });

  it('after a UIDVALIDITY change, recognises mail it already has', async () => {
    const messageId = `<uidvalidity.${run}@example.vn>`;
    const raw = mail({
      from: `nam.${run}@example.vn`,
      subject: 'Thư trước khi đổi UIDVALIDITY',
      body: 'Nội dung không đổi.',
      messageId,
    });
    await dovecot.append(userA, 'INBOX', raw);
    await importer.poll(boxA);
    const before = (await importer.health()).find((h) => h.name === boxA.name)?.uidValidity;
    // The server renumbers its inbox (a restore from backup), and the restore brings the mail back.
    execFileSync('doveadm', [
      '-c',
      dovecot.configPath,
      'mailbox',
      'update',
      '-u',
      userA,
      '--uid-validity',
      String(Number(before) + 1000),
      'INBOX',
    ]);
    await dovecot.append(userA, 'INBOX', raw);
    expect(await importer.poll(boxA)).toMatchObject({ seen: 1, imported: 1 });
    const after = (await importer.health()).find((h) => h.name === boxA.name)?.uidValidity;
    expect(after).toBe(String(Number(before) + 1000));
    const rows = await caseOf(messageId);
    expect(rows.map((r) => r.status)).toEqual(['imported', 'duplicate']);
    expect(rows[0].case_id).toBe(rows[1].case_id);
  });

  it('imports new mail at once while the worker waits in IMAP IDLE, long before the next poll', async () => {
    const watcher = new GopyHarness(testConfig({ ...settings, MAILBOX_POLL_SECONDS: '3600' }));
    await watcher.startWorker();
    try {
      // The first poll runs at start; wait for it to finish, then send a mail.
      await waitFor(
        async () => {
          const { rows } = await gopy.db.query(`SELECT lease_until FROM mailbox_state WHERE name = $1`, [boxA.name]);
          return rows[0]?.lease_until === null;
        },
        15_000,
        'the first poll',
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const messageId = `<idle.${run}@example.vn>`;
      await dovecot.append(
        userA,
        'INBOX',
        mail({
          from: `sau.${run}@example.vn`,
          subject: 'Thư đến khi đang chờ',
          body: 'Thư này đến khi worker đang ở chế độ IDLE.',
          messageId,
        }),
      );
      const rows = await waitFor(
        async () => {
          const found = await caseOf(messageId);
          return found.length > 0 ? found : undefined;
        },
        15_000,
        'import on IDLE',
      );
      expect(rows[0].status).toBe('imported');
    } finally {
      await watcher.stop();
    }
  });

  it('loses nothing when the IMAP server restarts in the middle of a poll', async () => {
    const first = `<restart-a.${run}@example.vn>`;
    const second = `<restart-b.${run}@example.vn>`;
    for (const messageId of [first, second])
      await dovecot.append(
        userA,
        'INBOX',
        mail({
          from: `bay.${run}@example.vn`,
          subject: 'Thư trong lúc máy chủ khởi động lại',
          body: `Thư ${messageId}`,
          messageId,
        }),
      );
    // The server goes away right after the first message is stored, before it is moved.
    const internals = importer as unknown as { store: (...args: unknown[]) => Promise<unknown> };
    const store = internals.store.bind(importer);
    const spy = jest.spyOn(internals, 'store').mockImplementationOnce(async (...args: unknown[]) => {
      const stored = await store(...args);
      // The sessions go with it (a stopped master leaves open sessions running otherwise).
      execFileSync('doveadm', ['-c', dovecot.configPath, 'kick', userA]);
      await dovecot.stop();
      return stored;
    });
    const interrupted = await importer.poll(boxA);
    spy.mockRestore();
    await dovecot.start();
    expect(interrupted.failed).toBeGreaterThanOrEqual(1);
    expect(await importer.poll(boxA)).toMatchObject({ failed: 0 });
    for (const messageId of [first, second]) expect(await caseOf(messageId)).toHaveLength(1);
    expect(await folderUids(userA, 'INBOX')).toBe(0);
  });

  it('stores two messages at a time, yet a copy in the same chunk joins the first and a reply finds its original', async () => {
    const original = `<chunk-original.${run}@example.vn>`;
    const question = `<chunk-question.${run}@example.vn>`;
    const reply = `<chunk-reply.${run}@example.vn>`;
    const first = mail({
      from: `tam.${run}@example.vn`,
      subject: 'Nước sinh hoạt bị đục',
      body: 'Nước máy ở khu tập thể bị đục từ hôm qua.',
      messageId: original,
    });
    // The copy arrives while the original is still being written; the reply right after
    // the mail it answers.
    await dovecot.append(userA, 'INBOX', first);
    await dovecot.append(userA, 'INBOX', first);
    await dovecot.append(
      userA,
      'INBOX',
      mail({ from: `muoi.${run}@example.vn`, subject: 'Cây đổ', body: 'Cây đổ chắn lối đi.', messageId: question }),
    );
    await dovecot.append(
      userA,
      'INBOX',
      mail({
        from: `muoi.${run}@example.vn`,
        subject: 'Re: Cây đổ',
        body: 'Bổ sung: cây vẫn chưa được dọn sáng nay.',
        messageId: reply,
        headers: [`In-Reply-To: ${question}`, `References: ${question}`],
      }),
    );
    // The first mail of each pair is held in its open transaction a moment, as a busy database would.
    const internals = importer as unknown as { decide: (...args: unknown[]) => Promise<unknown> };
    const decide = internals.decide.bind(importer);
    const slow = jest.spyOn(internals, 'decide').mockImplementation(async (...args: unknown[]) => {
      const outcome = await decide(...args);
      const { messageId } = args[2] as { messageId: string };
      if (messageId === original || messageId === question) await new Promise((done) => setTimeout(done, 300));
      return outcome;
    });
    const polled = await importer.poll(boxA);
    slow.mockRestore();
    expect(polled).toMatchObject({ seen: 4, imported: 4, failed: 0 });
    const copies = await caseOf(original);
    expect(copies.map((r) => r.status).sort()).toEqual(['duplicate', 'imported']);
    expect(copies[1].case_id).toBe(copies[0].case_id);
    const [asked] = await caseOf(question);
    const [answer] = await caseOf(reply);
    expect(answer).toMatchObject({ status: 'follow_up', case_id: asked.case_id });
    expect(await folderUids(userA, 'INBOX')).toBe(0);
  });

  it('works through a large inbox in chunks and stops when another worker has taken the mailbox over', async () => {
    for (let n = 0; n < 55; n++)
      await dovecot.append(
        userA,
        'INBOX',
        mail({
          from: `chin.${n}.${run}@example.vn`,
          subject: `Góp ý số ${n}`,
          body: `Ý kiến thứ ${n} về vệ sinh môi trường.`,
          messageId: `<bulk-${n}.${run}@example.vn>`,
        }),
      );
    // After the first chunk the lease passes to another worker (this one looked dead to it).
    const internals = importer as unknown as { importChunk: (...args: unknown[]) => Promise<void> };
    const importChunk = internals.importChunk.bind(importer);
    const spy = jest.spyOn(internals, 'importChunk').mockImplementationOnce(async (...args: unknown[]) => {
      await importChunk(...args);
      await gopy.db.query(
        `UPDATE mailbox_state SET lease_owner = 'another-worker', lease_until = now() + interval '5 minutes'
          WHERE name = $1`,
        [boxA.name],
      );
    });
    const stopped = await importer.poll(boxA);
    spy.mockRestore();
    expect(stopped).toMatchObject({ seen: 50, imported: 50, failed: 1 });
    expect(await folderUids(userA, 'INBOX')).toBe(5);
    expect((await importer.health()).find((h) => h.name === boxA.name)?.lastError).toMatch(/lease/);
    expect(await importer.poll(boxA)).toMatchObject({ skipped: true });

    await gopy.db.query(`UPDATE mailbox_state SET lease_until = now() - interval '1 second' WHERE name = $1`, [
      boxA.name,
    ]);
    expect(await importer.poll(boxA)).toMatchObject({ seen: 5, imported: 5, failed: 0 });
    expect(await folderUids(userA, 'INBOX')).toBe(0);
    const { rows } = await gopy.db.query(
      `SELECT count(DISTINCT case_id)::int AS cases FROM inbound_messages WHERE message_id LIKE $1`,
      [`<bulk-%.${run}@example.vn>`],
    );
    expect(rows[0].cases).toBe(55);
  });

  it('quarantines at the third try a mail that parses but can never be stored, and fetches it no more', async () => {
    const messageId = `<unstorable.${run}@example.vn>`;
    await dovecot.append(
      userA,
      'INBOX',
      mail({ from: `muoihai.${run}@example.vn`, subject: 'Thư lỗi', body: 'Nội dung bình thường.', messageId }),
    );
    const intake = gopy.worker?.get(IntakeService) as IntakeService;
    const broken = jest.spyOn(intake, 'submitIn').mockRejectedValue(new Error('value too long for type'));
    try {
      expect(await importer.poll(boxA)).toMatchObject({ seen: 1, failed: 1, quarantined: 0 });
      expect(await importer.poll(boxA)).toMatchObject({ seen: 1, failed: 1, quarantined: 0 });
      expect(await importer.poll(boxA)).toMatchObject({ seen: 1, failed: 0, quarantined: 1 });
      expect(broken).toHaveBeenCalledTimes(3);
    } finally {
      broken.mockRestore();
    }
    expect(await folderUids(userA, 'INBOX')).toBe(0);
    expect(await importer.poll(boxA)).toMatchObject({ seen: 0 });
    const { rows } = await gopy.db.query(
      `SELECT status, attempts, last_error FROM inbound_messages WHERE mailbox = $1 ORDER BY updated_at DESC LIMIT 1`,
      [boxA.name],
    );
    expect(rows[0]).toMatchObject({ status: 'quarantined', attempts: 3 });
    expect(rows[0].last_error).toContain('could not be stored');
    // The admin page shows each mailbox's health and alerts on what was quarantined, and why.
    const admin = await StaffSession.login(gopy, fx.emails.admin);
    const page = (await admin.get('/ban-lam-viec/quan-tri')).body;
    expect(page).toContain(`${boxA.name} · hopthu-a@gopy.test`);
    expect(page).toMatch(new RegExp(`Hộp thư ${boxA.name}: \\d+ thư bị chuyển vào Quarantine`));
    expect(page).toContain('could not be stored: value too long for type');
    const health = (await importer.health()).find((h) => h.name === boxA.name);
    const { rows: top } = await gopy.db.query(
      `SELECT max(uid)::int AS uid FROM inbound_messages WHERE mailbox = $1 AND uid_validity = $2`,
      [boxA.name, health?.uidValidity],
    );
    expect(health?.lastUid).toBe(top[0].uid);
    expect(page).toContain(`<td>${String(top[0].uid)} / ${String(health?.uidValidity)}</td>`);
  });

  it('gives no polite reply to an oversized mail a robot sent', async () => {
    const sender = `robot-lon.${run}@example.vn`;
    const big = mail({
      from: sender,
      subject: 'Tự động trả lời',
      body: 'x'.repeat(250_000),
      headers: ['Auto-Submitted: auto-replied'],
    });
    await dovecot.append(userB, 'INBOX', big);
    expect(await importer.poll(boxB)).toMatchObject({ quarantined: 1, failed: 0 });
    const secret = (gopy.worker?.get(GopyConfig) as GopyConfig).form.tokenSecret;
    const { rows } = await gopy.db.query(`SELECT kind FROM outbound_mails WHERE to_hash = $1`, [
      recipientHash(secret, sender),
    ]);
    expect(rows).toEqual([]);
    expect(await folderUids(userB, 'INBOX')).toBe(0);
  });

  it('sends one receipt, not two, when mails from one sender are handled at the same moment', async () => {
    const sender = `song.${run}@example.vn`;
    const intake = gopy.worker?.get(IntakeService) as IntakeService;
    const receipts = gopy.worker?.get(ReceiptService) as ReceiptService;
    const submissions: string[] = [];
    for (const n of [1, 2]) {
      const created = await intake.submit({
        channel: 'email',
        language: 'vi',
        files: [],
        meta: { mailbox: boxB.name, mailboxAddress: boxB.address },
        dto: Object.assign(new CreateSubmissionDto(), {
          topic: 'khac',
          subject: `Thư số ${n}`,
          body: 'Hai thư của cùng một người đến cùng lúc.',
          anonymous: false,
          email: sender,
          consent: true,
        }),
      });
      if (created.replayed) throw new Error('not a new submission');
      submissions.push(created.submissionId);
    }
    // The worker's own jobs for these two run meanwhile; four more callers join them.
    await Promise.all([...submissions, ...submissions].map((id) => receipts.prepareReceipt(id)));
    const secret = (gopy.worker?.get(GopyConfig) as GopyConfig).form.tokenSecret;
    const count = async () =>
      (
        await gopy.db.query(`SELECT count(*)::int AS n FROM outbound_mails WHERE kind = 'receipt' AND to_hash = $1`, [
          recipientHash(secret, sender),
        ])
      ).rows[0].n as number;
    await waitFor(
      async () => {
        const { rows } = await gopy.db.query(
          `SELECT count(*)::int AS n FROM cases c JOIN submissions s ON s.case_id = c.id
            WHERE s.id = ANY ($1) AND c.routed_at IS NOT NULL`,
          [submissions],
        );
        return rows[0].n === 2;
      },
      15_000,
      'both cases handled by the worker',
    );
    expect(await count()).toBe(1);
  });
});
