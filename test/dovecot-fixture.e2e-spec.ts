import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { parseInbound } from '../libs/mailbox/src/parse-inbound';
import { OwnDovecot } from './utils/dovecot';

// The IMAP server the mailbox poller will be tested against: a real Dovecot of the test's
// own. Proves the fixture itself: users, APPEND with UIDs, and mail surviving a restart.

const FIXTURES = join(__dirname, 'fixtures/mail');
const LIMITS = { maxBytes: 10 * 1024 * 1024, maxFiles: 5, attachmentMaxBytes: 5 * 1024 * 1024 };

interface Stored {
  uidValidity: bigint;
  messages: { uid: number; flags: string[]; source: Buffer }[];
}

async function readFolder(dovecot: OwnDovecot, user: string, folder: string): Promise<Stored> {
  const client = new ImapFlow(dovecot.imapConfig(user));
  client.on('error', () => undefined);
  try {
    await client.connect();
    const lock = await client.getMailboxLock(folder);
    try {
      const mailbox = client.mailbox;
      if (!mailbox) throw new Error('no mailbox selected');
      const messages: Stored['messages'] = [];
      if (mailbox.exists === 0) return { uidValidity: mailbox.uidValidity, messages };
      for await (const message of client.fetch('1:*', { uid: true, flags: true, source: true })) {
        messages.push({
          uid: message.uid,
          flags: [...(message.flags ?? [])].filter((flag) => flag !== '\\Recent').sort(),
          source: message.source ?? Buffer.alloc(0),
        });
      }
      return { uidValidity: mailbox.uidValidity, messages };
    } finally {
      lock.release();
    }
  } finally {
    if (client.usable) await client.logout().catch(() => client.close());
    else client.close();
  }
}

describe('Dovecot test fixture', () => {
  const dovecot = new OwnDovecot();
  const plain = readFileSync(join(FIXTURES, 'utf8-plain.eml'));
  const legacy = readFileSync(join(FIXTURES, 'tcvn3-legacy.eml'));

  beforeAll(async () => {
    await dovecot.start();
    await dovecot.addUser('hopthu', 'mat-khau-thu');
  });

  afterAll(async () => {
    await dovecot.destroy();
  });

  it('stores appended messages and returns them byte for byte, with stable UIDs across a restart', async () => {
    const first = await dovecot.append('hopthu', 'INBOX', plain);
    const second = await dovecot.append('hopthu', 'INBOX', legacy, ['\\Seen']);
    expect(second).toBeGreaterThan(first);

    const before = await readFolder(dovecot, 'hopthu', 'INBOX');
    expect(before.uidValidity).toBeGreaterThan(0n);
    expect(before.messages.map(({ uid, flags }) => ({ uid, flags }))).toEqual([
      { uid: first, flags: [] },
      { uid: second, flags: ['\\Seen'] },
    ]);
    expect(before.messages[0].source.equals(plain)).toBe(true);
    expect(before.messages[1].source.equals(legacy)).toBe(true);

    const parsed = await parseInbound(before.messages[1].source, LIMITS);
    expect(parsed.subject).toBe('Vỡ ống nước ở phố Thái Hà');

    const oldPort = dovecot.port;
    await dovecot.restart();
    expect(dovecot.port).toBe(oldPort);

    const after = await readFolder(dovecot, 'hopthu', 'INBOX');
    expect(after.uidValidity).toBe(before.uidValidity);
    expect(after.messages.map(({ uid, flags }) => ({ uid, flags }))).toEqual([
      { uid: first, flags: [] },
      { uid: second, flags: ['\\Seen'] },
    ]);
    expect(after.messages.map((message) => message.source.toString('base64'))).toEqual(
      before.messages.map((message) => message.source.toString('base64')),
    );
  });

  it('creates other folders on append and keeps users apart', async () => {
    await dovecot.addUser('canbo', 'mat-khau-2');
    const uid = await dovecot.append('canbo', 'Luu tru', plain);
    expect(uid).toBe(1);
    const archive = await readFolder(dovecot, 'canbo', 'Luu tru');
    expect(archive.messages).toHaveLength(1);
    const inbox = await readFolder(dovecot, 'canbo', 'INBOX');
    expect(inbox.messages).toHaveLength(0);
  });

  it('refuses a wrong password without slowing the next login down', async () => {
    const client = new ImapFlow({ ...dovecot.imapConfig('hopthu'), auth: { user: 'hopthu', pass: 'sai' } });
    client.on('error', () => undefined);
    await expect(client.connect()).rejects.toThrow();
    client.close();

    const started = Date.now();
    expect((await readFolder(dovecot, 'hopthu', 'INBOX')).messages).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(1500); // no auth penalty for 127.0.0.1
  });
});
