import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { appendFile, chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { waitFor } from './wait-for';

// A Dovecot IMAP server of the test's own: a standalone config in a temp folder (no systemd,
// no /etc/dovecot), plaintext login on 127.0.0.1, passwd-file users, maildir storage.
// Install it with scripts/install-dovecot.sh. Dovecot refuses mail processes with UID 0, so
// under root the mailboxes belong to nobody:nogroup; otherwise to the current user.

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** True once the server greets on the IMAP port. */
async function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk) => done(chunk.toString('latin1').startsWith('* OK')));
  });
}

export class OwnDovecot {
  port = 0;
  private dir = '';
  private process?: ChildProcess;
  private readonly passwords = new Map<string, string>();

  get configPath(): string {
    return join(this.dir, 'dovecot.conf');
  }

  /** Dovecot's own log, worth reading when a test fails. */
  get logPath(): string {
    return join(this.dir, 'dovecot.log');
  }

  async start(): Promise<void> {
    if (this.running) return;
    if (!this.dir) await this.prepare();
    const child = spawn('dovecot', ['-F', '-c', this.configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (error) =>
        reject(new Error(`cannot run dovecot (run scripts/install-dovecot.sh): ${error.message}`)),
      );
      child.once('exit', (code, signal) => reject(new Error(`dovecot exited (${code ?? signal}): ${stderr.trim()}`)));
    });
    failed.catch(() => undefined);
    this.process = child;
    await Promise.race([waitFor(() => greets(this.port), 15_000, 'dovecot to accept IMAP connections'), failed]);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || !this.running) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      // The master stops its login, auth and imap processes on SIGTERM.
      child.kill('SIGTERM');
    });
    await waitFor(async () => !(await greets(this.port)), 5000, 'dovecot to release its port');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the server and deletes its folder (config, users, mail). */
  async destroy(): Promise<void> {
    await this.stop();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = '';
  }

  /** Adds a login; the passwd-file is re-read by Dovecot when it changes. */
  async addUser(user: string, password: string): Promise<void> {
    if (!/^[\w.@+-]+$/.test(user) || /[:\n]/.test(password)) throw new Error(`unusable test user ${user}`);
    if (this.passwords.has(user)) throw new Error(`test user ${user} exists already`);
    if (!this.dir) await this.prepare();
    this.passwords.set(user, password);
    await appendFile(join(this.dir, 'users'), `${user}:{PLAIN}${password}::::::\n`);
    // Dovecot checks the passwd-file for changes at most once a second: wait until it sees it.
    if (this.running) {
      await waitFor(() => this.authenticates(user, password), 5000, `dovecot to know user ${user}`);
    }
  }

  /** ImapFlow options to log in as `user` (plaintext on loopback). */
  imapConfig(user: string): ImapFlowOptions {
    const pass = this.passwords.get(user);
    if (pass === undefined) throw new Error(`no such test user ${user}`);
    return {
      host: '127.0.0.1',
      port: this.port,
      secure: false,
      doSTARTTLS: false,
      auth: { user, pass },
      logger: false,
      disableAutoIdle: true,
    };
  }

  /** Stores a raw message in `folder` (created when missing); returns its UID. */
  async append(user: string, folder: string, raw: Buffer, flags: string[] = []): Promise<number> {
    const client = new ImapFlow(this.imapConfig(user));
    client.on('error', () => undefined);
    try {
      await client.connect();
      if (folder.toUpperCase() !== 'INBOX') {
        const exists = (await client.list()).some((mailbox) => mailbox.path === folder);
        if (!exists) await client.mailboxCreate(folder);
      }
      const result = await client.append(folder, raw, flags);
      if (!result || result.uid === undefined) throw new Error(`APPEND to ${folder} returned no UID`);
      return result.uid;
    } finally {
      if (client.usable) await client.logout().catch(() => client.close());
      else client.close();
    }
  }

  private get running(): boolean {
    return this.process !== undefined && this.process.exitCode === null && this.process.signalCode === null;
  }

  private authenticates(user: string, password: string): Promise<boolean> {
    return new Promise((resolve) => {
      execFile('doveadm', ['-c', this.configPath, 'auth', 'test', user, password], (error) => resolve(!error));
    });
  }

  private async prepare(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'gopy-dovecot-'));
    this.port = this.port || (await freePort());
    const home = join(this.dir, 'home');
    await mkdir(join(this.dir, 'run'));
    await mkdir(join(this.dir, 'state'));
    await mkdir(home);
    await writeFile(join(this.dir, 'users'), '');

    const me = userInfo();
    let owner: string;
    if (me.uid === 0) {
      // Mail processes may not run as root: hand the mail folders to nobody.
      const uid = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim());
      await chmod(this.dir, 0o755); // nobody must reach home/ through the temp folder
      await chown(home, uid, gid);
      owner = `uid=${uid} gid=${gid}`;
    } else {
      owner = `uid=${me.uid} gid=${me.gid}`;
    }
    const unprivileged =
      me.uid === 0
        ? ''
        : [
            // Without root the master cannot switch users: everything runs as the current user.
            `default_login_user = ${me.username}`,
            `default_internal_user = ${me.username}`,
            `default_internal_group = ${me.username}`,
          ].join('\n');

    const config = `# Written by test/utils/dovecot.ts for one test run.
base_dir = ${join(this.dir, 'run')}
state_dir = ${join(this.dir, 'state')}
log_path = ${this.logPath}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# Wrong-password tests should not wait the default 2 s, nor slow the next logins from
# 127.0.0.1 by the auth penalty (2-15 s): without its anvil socket the penalty is off.
auth_failure_delay = 0
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
${unprivileged}

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${join(this.dir, 'users')}
}
userdb {
  driver = static
  args = ${owner} home=${home}/%u
}
mail_location = maildir:~/Maildir

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${this.port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
    await writeFile(this.configPath, config);
  }
}
