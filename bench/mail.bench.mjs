#!/usr/bin/env node
// Mail import benchmark: N Vietnamese messages appended to a Dovecot of the bench's own, then
// imported by gopy's MailboxImporter.poll() (Nest application context + TypeORM, the built
// dist), then the same N messages, appended again to a second user, imported by a bare
// baseline (bench/mail-baseline.mjs: imapflow + mailparser + pg, one INSERT per message).
// Prints messages/s and peak RSS for both, and checks the target (gopy >= 100 messages/s).
// See docs/benchmarks.md.
//
//   npm run bench:mail                      build, then run with the defaults
//   node bench/mail.bench.mjs [options]     run against the existing dist
//
// Options (or the BENCH_* environment variable in brackets):
//   --messages N      messages per side                                  [BENCH_MESSAGES]   2000
//   --idle-wait S     before each side, wait up to S s for the machine to be >= 85 % idle
//                                                                         [BENCH_IDLE_WAIT]    20
//   --dist PATH       use this build instead of dist/apps/gopy (no build), e.g. a copy with a
//                     patched mailbox-importer.service.js, to try a change before making it;
//                     a copy outside the repository finds node_modules through NODE_PATH
//                                                                         [BENCH_DIST]
//   --sides LIST      gopy, baseline or gopy,baseline (both, the default)       [BENCH_SIDES]
//   --profile         also CPU-profile each side's import (V8 sampler, in-process) and time
//                     its steps (IMAP commands, parsing, every SQL statement); the figures
//                     are then taken with the instrumentation on: use a run without it for
//                     the table
//   --strict          exit 1 when the target is missed
//
// BENCH_ADMIN_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and
// REDIS_URL say where the services are. The database gopy_bench_mail is dropped and created at
// the start and left in place; Dovecot (a temp folder, a free port) is stopped and its folder
// removed at the end. Each side runs in a child process of its own, so peak RSS is that
// side's alone.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import {
  ADMIN_URL,
  CLK_TCK,
  databaseUrl,
  describeMachine,
  ensureBuilt,
  fail,
  fmt,
  freePort,
  gitDescribe,
  gopyCli,
  log,
  machineTicks,
  postgresTicks,
  prefixLines,
  printProfileLists,
  printTable as printAligned,
  random,
  recreateEmptyDatabase,
  sleep,
  statFields,
  summariseProfile,
  vmHwm,
  waitForIdle,
  withClient,
} from './lib.mjs';
import { BASELINE_TABLE, connectBaseline, createBaselineTable, importBaseline } from './mail-baseline.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);
const require = createRequire(import.meta.url);
const { ImapFlow } = require('imapflow');

const TARGET_RATE = 100; // messages per second
const DIST_DEFAULT = join(ROOT, 'dist/apps/gopy');
const DB_NAME = 'gopy_bench_mail';
const DATABASE_URL = databaseUrl(DB_NAME);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: process.env.BENCH_MESSAGES ?? '2000' },
    dist: { type: 'string', default: process.env.BENCH_DIST },
    'idle-wait': { type: 'string', default: process.env.BENCH_IDLE_WAIT ?? '20' },
    sides: { type: 'string', default: process.env.BENCH_SIDES ?? 'gopy,baseline' },
    profile: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    side: { type: 'string' }, // internal: run one side in this (child) process
  },
});
const MESSAGES = Number(args.messages);
const SIDES = args.sides.split(',').map((s) => s.trim());
if (SIDES.length === 0 || !SIDES.every((s) => s === 'gopy' || s === 'baseline'))
  fail('--sides must be gopy, baseline or gopy,baseline');
const DIST = args.dist ? resolve(args.dist) : DIST_DEFAULT;
const GOPY_ENTRY = join(DIST, 'apps/gopy/src/main.js');
// A build outside the repository resolves its packages through NODE_PATH.
const NODE_PATH = [process.env.NODE_PATH, join(ROOT, 'node_modules')].filter(Boolean).join(':');
const IDLE_WAIT = Number(args['idle-wait']);
if (!(Number.isInteger(MESSAGES) && MESSAGES > 0)) fail('--messages must be a positive integer');

// ---------------------------------------------------------------- CPU and memory (Linux /proc)

/** CPU ticks of this database's PostgreSQL backends, by pid. */
const dbTicks = () => postgresTicks({ database: DB_NAME });

/**
 * CPU ticks of a process tree (Dovecot's master and its login, auth and imap processes),
 * counting children that exited meanwhile: a reaped child's time moves to its parent's
 * cutime/cstime, so the sum over the live tree of utime+stime+cutime+cstime only grows.
 */
function treeTicks(rootPid) {
  const children = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const f = statFields(pid);
      const ppid = Number(f[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children
        .get(ppid)
        .push({ pid: Number(pid), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      // gone
    }
  }
  let total = 0;
  try {
    const f = statFields(rootPid);
    total += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  } catch {
    return 0;
  }
  const walk = (pid) => {
    for (const child of children.get(pid) ?? []) {
      total += child.ticks;
      walk(child.pid);
    }
  };
  walk(rootPid);
  return total;
}

/** RSS sampled every 100 ms while `work` runs; peak and the RSS before it started. */
async function withMemory(work) {
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 100);
  try {
    const result = await work();
    sample();
    return { result, rssBefore: before.rss, peakRss, peakHeap };
  } finally {
    clearInterval(timer);
  }
}

/** Wall time and CPU of this process, this database's PostgreSQL backends, Dovecot, and the rest. */
async function measure(dovecotPid, work) {
  const pg0 = dbTicks();
  const dove0 = treeTicks(dovecotPid);
  const machine0 = machineTicks();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const memory = await withMemory(work);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const machine1 = machineTicks();
  let pgUsed = 0;
  for (const [pid, t] of dbTicks()) pgUsed += t - (pg0.get(pid) ?? 0);
  const ms = (ticks) => (ticks * 1000) / CLK_TCK;
  const nodeMs = (cpu.user + cpu.system) / 1000;
  const postgresMs = ms(pgUsed);
  const dovecotMs = ms(treeTicks(dovecotPid) - dove0);
  const busyMs = ms(machine1.busy - machine0.busy);
  const otherMs = Math.max(0, busyMs - nodeMs - postgresMs - dovecotMs);
  return { ...memory, seconds, nodeMs, postgresMs, dovecotMs, busyMs, otherMs };
}

// ---------------------------------------------------------------- profiling (--profile)

/** Wall time per step, added up over the run: IMAP commands, parsing, every SQL statement. */
function instrumentGopy(phases) {
  const add = (name, t0) => {
    const entry = phases.get(name) ?? { ms: 0, calls: 0 };
    entry.ms += performance.now() - t0;
    entry.calls++;
    phases.set(name, entry);
  };
  const wrap = (object, method, name) => {
    const original = object[method];
    object[method] = async function (...a) {
      const t0 = performance.now();
      try {
        return await original.apply(this, a);
      } finally {
        add(typeof name === 'function' ? name(a) : name, t0);
      }
    };
  };
  let inTransaction = false;
  wrap(ImapFlow.prototype, 'fetchOne', 'imap: UID FETCH source');
  wrap(ImapFlow.prototype, 'messageMove', 'imap: UID MOVE');
  const parse = require(join(DIST, 'libs/mailbox/src/parse-inbound.js'));
  wrap(parse, 'parseInbound', 'parseInbound (mailparser + rules)');
  const { DataSource } = require('typeorm');
  const originalTransaction = DataSource.prototype.transaction;
  DataSource.prototype.transaction = async function (...a) {
    const t0 = performance.now();
    inTransaction = true;
    try {
      return await originalTransaction.apply(this, a);
    } finally {
      inTransaction = false;
      add('transaction (all of store(), incl. its SQL)', t0);
    }
  };
  const { PostgresQueryRunner } = require('typeorm/driver/postgres/PostgresQueryRunner');
  wrap(PostgresQueryRunner.prototype, 'query', ([sql]) => {
    const short = String(sql).replace(/\s+/g, ' ').trim().slice(0, 72);
    return `${inTransaction ? 'sql in tx' : 'sql'}: ${short}`;
  });
  const intake = require(join(DIST, 'libs/intake/src/index.js'));
  if (intake.SubmissionPolicy)
    wrap(intake.SubmissionPolicy.prototype, 'acceptableFiles', 'acceptableFiles (file-type)');
  if (intake.IntakeService) wrap(intake.IntakeService.prototype, 'submitIn', 'IntakeService.submitIn (incl. its SQL)');
}

async function startProfiler() {
  const inspector = await import('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return async (file) => {
    const { profile } = await post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

function printProfile(name, summary, messages) {
  console.log(
    `\nCPU profile of ${name} (main thread, import only): ${summary.busyMs} ms busy of ${summary.totalMs} ms ` +
      `(${(summary.busyMs / messages).toFixed(2)} ms per message)`,
  );
  printProfileLists([
    ['self time by package / area', summary.areas],
    ['top self-time functions', summary.self],
    ['top inclusive functions', summary.inclusive],
  ]);
}

function printPhases(name, phases, messages, seconds) {
  console.log(`\nwhere ${name}'s wall time goes (${(seconds * 1000).toFixed(0)} ms in all; steps, summed):`);
  const rows = [...phases.entries()].sort((a, b) => b[1].ms - a[1].ms);
  for (const [step, { ms, calls }] of rows) {
    console.log(
      `  ${((100 * ms) / (seconds * 1000)).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ` +
        `${(ms / messages).toFixed(3).padStart(7)} ms/msg  ${String(calls).padStart(6)} calls  ${step}`,
    );
  }
}

// ---------------------------------------------------------------- a side, in a child process

async function runSide(side, job) {
  const phases = job.profile ? new Map() : undefined;
  let run;
  let closeContext = async () => undefined;
  if (side === 'gopy') {
    require('reflect-metadata');
    const { Module } = require('@nestjs/common');
    const { NestFactory } = require('@nestjs/core');
    const { ConfigModule, loadConfig } = require(join(DIST, 'config/src/index.js'));
    const { DatabaseModule } = require(join(DIST, 'libs/database/src/index.js'));
    const { MailboxModule, MailboxImporter } = require(join(DIST, 'libs/mailbox/src/index.js'));
    const config = loadConfig(job.env);
    class BenchModule {}
    Module({ imports: [ConfigModule.forRoot(config), DatabaseModule, MailboxModule] })(BenchModule);
    const context = await NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
    closeContext = () => context.close();
    const importer = context.get(MailboxImporter);
    const box = importer.mailboxes.find((b) => b.name === job.box);
    if (!box) throw new Error(`mailbox ${job.box} is not in ${job.env.MAILBOXES_FILE}`);
    if (phases) instrumentGopy(phases);
    run = async () => {
      const total = { polls: 0, seen: 0, imported: 0, quarantined: 0, failed: 0 };
      // One poll takes the whole inbox; a second one only if something failed and stayed.
      while (total.polls < 3 && total.imported + total.quarantined < job.messages) {
        const result = await importer.poll(box);
        if (result.skipped) throw new Error('poll skipped: another worker holds the lease');
        total.polls++;
        for (const key of ['seen', 'imported', 'quarantined', 'failed']) total[key] += result[key];
        if (result.seen === 0) break;
      }
      return total;
    };
  } else {
    const db = await connectBaseline(job.databaseUrl);
    closeContext = () => db.end();
    run = async () => ({ polls: 1, ...(await importBaseline({ imap: job.imap, db, phases })) });
  }
  const stopProfiler = job.profile ? await startProfiler() : undefined;
  const measured = await measure(job.dovecotPid, run);
  if (stopProfiler) await stopProfiler(job.profileFile);
  await closeContext();
  process.stdout.write(
    `MAIL_RESULT ${JSON.stringify({
      ...measured,
      ...measured.result,
      result: undefined,
      vmHwm: vmHwm(),
      phases: phases ? [...phases] : undefined,
    })}\n`,
  );
}

function runChild(side, job) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SELF, '--side', side, ...(args.dist ? ['--dist', DIST] : [])], {
      cwd: ROOT,
      env: { ...process.env, NODE_PATH, BENCH_MAIL_JOB: JSON.stringify(job) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => (out += chunk));
    prefixLines(child.stderr, side);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      children.delete(child);
      const line = out.split('\n').find((l) => l.startsWith('MAIL_RESULT '));
      if (code !== 0 || !line) {
        process.stderr.write(out);
        reject(new Error(`${side} side exited (${code ?? signal}) without a result`));
      } else resolve(JSON.parse(line.slice('MAIL_RESULT '.length)));
    });
  });
}

// ---------------------------------------------------------------- build and database

async function recreateDatabase(env) {
  await recreateEmptyDatabase(DB_NAME, { adminUrl: ADMIN_URL });
  gopyCli('migrate', { root: ROOT, entry: GOPY_ENTRY, env });
  gopyCli('seed', { root: ROOT, entry: GOPY_ENTRY, env }); // the demo directory (units, collaborators) and 8 demo cases
  log(`database ${DB_NAME} recreated, migrated and seeded with the demo directory`);
}

// ---------------------------------------------------------------- Dovecot of the bench's own

// The same standalone configuration as test/utils/dovecot.ts (temp folder, no systemd, plaintext
// login on 127.0.0.1, passwd-file users, maildir). Dovecot refuses mail processes with UID 0:
// under root the mail folders belong to nobody:nogroup.

function greets(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk) => done(chunk.toString('latin1').startsWith('* OK')));
  });
}

async function startDovecot(users) {
  const dir = mkdtempSync(join(os.tmpdir(), 'gopy-bench-dovecot-'));
  const port = await freePort();
  const home = join(dir, 'home');
  mkdirSync(join(dir, 'run'));
  mkdirSync(join(dir, 'state'));
  mkdirSync(home);
  writeFileSync(join(dir, 'users'), users.map((u) => `${u.user}:{PLAIN}${u.password}::::::\n`).join(''));
  const me = os.userInfo();
  let owner;
  if (me.uid === 0) {
    const uid = Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).stdout.trim());
    chmodSync(dir, 0o755);
    chownSync(home, uid, gid);
    owner = `uid=${uid} gid=${gid}`;
  } else owner = `uid=${me.uid} gid=${me.gid}`;
  const unprivileged =
    me.uid === 0
      ? ''
      : [
          `default_login_user = ${me.username}`,
          `default_internal_user = ${me.username}`,
          `default_internal_group = ${me.username}`,
        ].join('\n');
  const logPath = join(dir, 'dovecot.log');
  const configPath = join(dir, 'dovecot.conf');
  writeFileSync(
    configPath,
    `# Written by bench/mail.bench.mjs for one run (as test/utils/dovecot.ts).
base_dir = ${join(dir, 'run')}
state_dir = ${join(dir, 'state')}
log_path = ${logPath}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
${unprivileged}

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${join(dir, 'users')}
}
userdb {
  driver = static
  args = ${owner} home=${home}/%u
}
mail_location = maildir:~/Maildir

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`,
  );
  const child = spawn('dovecot', ['-F', '-c', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.once('error', (error) => fail(`cannot run dovecot (run scripts/install-dovecot.sh): ${error.message}`));
  const deadline = Date.now() + 15_000;
  while (!(await greets(port))) {
    if (child.exitCode !== null) fail(`dovecot exited (${child.exitCode}): ${stderr.trim()}`);
    if (Date.now() > deadline) fail(`dovecot did not accept IMAP connections within 15 s (see ${logPath})`);
    await sleep(100);
  }
  const version = spawnSync('dovecot', ['--version'], { encoding: 'utf8' }).stdout.trim().split(' ')[0];
  return {
    port,
    pid: child.pid,
    version,
    logPath,
    imap: (user) => ({
      host: '127.0.0.1',
      port,
      secure: false,
      doSTARTTLS: false,
      auth: { user, pass: users.find((u) => u.user === user).password },
      logger: false,
      disableAutoIdle: true,
    }),
    async destroy() {
      if (child.exitCode === null && child.signalCode === null) {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.kill('SIGTERM'); // the master stops its login, auth and imap processes
        await exited;
        clearTimeout(timer);
      }
      children.delete(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Appends all messages to the user's INBOX over `connections` connections in parallel (imapflow runs one command at a time per connection). */
async function appendAll(imap, messages, connections = 4) {
  let next = 0;
  const worker = async () => {
    const client = new ImapFlow(imap);
    client.on('error', () => undefined);
    await client.connect();
    try {
      while (next < messages.length) {
        const message = messages[next++];
        await client.append('INBOX', message.raw, [], message.date);
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
}

async function folderCounts(imap, folders) {
  const client = new ImapFlow(imap);
  client.on('error', () => undefined);
  await client.connect();
  try {
    const counts = {};
    for (const folder of folders) {
      const status = await client.status(folder, { messages: true }).catch(() => undefined);
      counts[folder] = status?.messages ?? 0;
    }
    return counts;
  } finally {
    await client.logout().catch(() => client.close());
  }
}

// ---------------------------------------------------------------- the messages

const FAMILY = 'Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương'.split(' ');
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Ngọc', 'Thanh', 'Quốc', 'Thu', 'Xuân'];
const GIVEN = 'An Bình Cường Dũng Hà Hạnh Hùng Lan Linh Long Mai Nam Phương Quân Sơn Tâm Thảo Tuấn Việt Yến'.split(' ');
const DOMAINS = ['gmail.com', 'yahoo.com.vn', 'outlook.com', 'vnpt.vn', 'fpt.vn', 'viettel.com.vn'];
const SUBJECTS = [
  'Phản ánh tình trạng ngập úng sau mưa lớn ở tổ dân phố',
  'Kiến nghị sửa chữa đường liên thôn xuống cấp nghiêm trọng',
  'Hỏi về thủ tục cấp giấy chứng nhận quyền sử dụng đất',
  'Góp ý dự thảo quy chế dân chủ ở cơ sở',
  'Đề nghị công khai danh sách hộ nghèo năm nay',
  'Phản ánh tiếng ồn từ xưởng gỗ hoạt động ban đêm',
  'Biểu dương cán bộ một cửa tận tình hướng dẫn người dân',
  'Hỏi về chế độ hỗ trợ cho người cao tuổi neo đơn',
  'Rác thải tồn đọng nhiều ngày ở khu chợ tạm',
  'Đèn đường hỏng kéo dài, người dân đi lại khó khăn',
  'Kiến nghị bố trí thêm giờ tiếp công dân buổi tối',
  'Phản ánh việc lấn chiếm vỉa hè làm nơi buôn bán',
];
const SENTENCES = [
  'Kính gửi quý cơ quan, tôi là người dân sinh sống lâu năm tại khu phố này.',
  'Tình trạng trên đã kéo dài nhiều tháng nay nhưng chưa được xử lý dứt điểm.',
  'Mỗi khi trời mưa to, nước tràn vào nhà, bà con phải kê đồ đạc lên cao.',
  'Các cháu học sinh đi học buổi sáng rất nguy hiểm vì mặt đường nhiều ổ gà.',
  'Chúng tôi đã phản ánh với tổ trưởng dân phố nhưng chưa thấy trả lời bằng văn bản.',
  'Đề nghị cơ quan chức năng kiểm tra thực tế, có biện pháp khắc phục sớm.',
  'Xin cho biết hồ sơ gồm những giấy tờ gì, nộp ở đâu và thời hạn giải quyết bao lâu.',
  'Trên cổng thông tin điện tử của phường chưa có hướng dẫn cụ thể về việc này.',
  'Nhiều hộ gia đình trong xóm đều có chung băn khoăn và nhờ tôi viết thư góp ý.',
  'Dự thảo nên quy định rõ thời hạn trả lời và công khai kết quả trên bảng tin của thôn.',
  'Tôi xin gửi kèm hình ảnh chụp hiện trạng để quý cơ quan tiện theo dõi.',
  'Việc đổ trộm rác thải xây dựng ra bờ kênh gây mất mỹ quan và ô nhiễm môi trường.',
  'Người cao tuổi trong khu dân cư mong được hướng dẫn tận nơi vì đi lại khó khăn.',
  'Tôi rất hoan nghênh tinh thần phục vụ nhân dân của cán bộ bộ phận một cửa.',
  'Mong quý cơ quan xem xét, giải quyết và thông tin lại cho người dân được biết.',
  'Xin trân trọng cảm ơn và kính chúc sức khỏe quý lãnh đạo.',
  'Đường dây điện chằng chịt, nhiều đoạn võng thấp, tiềm ẩn nguy cơ cháy nổ.',
  'Ống thoát nước bị tắc, mùi hôi bốc lên nồng nặc nhất là vào buổi chiều.',
  'Khu vui chơi thiếu nhi xuống cấp, nhiều thiết bị gỉ sét, bong tróc.',
  'Gia đình tôi đã nộp hồ sơ từ đầu quý nhưng đến nay chưa nhận được kết quả.',
];

const ascii = (word) =>
  word
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase();

function vnName(next, pick) {
  const family = pick(FAMILY);
  const given = pick(GIVEN);
  const local = `${ascii(given)}.${ascii(family)}${Math.floor(next() * 1000)}`;
  return { name: `${family} ${pick(MIDDLE)} ${given}`, address: `${local}@${pick(DOMAINS)}` };
}

/** A real PNG (24-bit RGB, filtered rows, deflated), a few hundred bytes to a few KB. */
function png(next, size) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = [];
  const [r0, g0, b0] = [next() * 255, next() * 255, next() * 255];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const noise = next() * 40;
      row[1 + x * 3] = (r0 + x * 3 + noise) & 255;
      row[2 + x * 3] = (g0 + y * 3 + noise) & 255;
      row[3 + x * 3] = (b0 + (x ^ y)) & 255;
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const wrap76 = (s) => s.replace(/.{1,76}/g, '$&\r\n');
const b64 = (buffer) => wrap76(buffer.toString('base64'));

/** Quoted-printable (RFC 2045) of UTF-8 text, soft line breaks before 76 characters. */
function qp(text) {
  const out = [];
  for (const line of text.split('\n')) {
    let encoded = '';
    const bytes = Buffer.from(line, 'utf8');
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      const last = i === bytes.length - 1;
      encoded +=
        (b >= 33 && b <= 126 && b !== 61) || (b === 32 && !last)
          ? String.fromCharCode(b)
          : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    let rest = encoded;
    while (rest.length > 75) {
      let cut = 75;
      const eq = rest.lastIndexOf('=', cut - 1);
      if (eq > cut - 3) cut = eq; // never split =XX
      out.push(`${rest.slice(0, cut)}=`);
      rest = rest.slice(cut);
    }
    out.push(rest);
  }
  return `${out.join('\r\n')}\r\n`;
}

/** RFC 2047 encoded words of at most ~45 UTF-8 bytes each, never splitting a character. */
function encodedWords(text) {
  const words = [];
  let current = '';
  for (const ch of text) {
    if (Buffer.byteLength(current + ch) > 45) {
      words.push(current);
      current = '';
    }
    current += ch;
  }
  if (current) words.push(current);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join('\r\n ');
}

const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * `count` messages as citizens send them: 1-20 KB raw, UTF-8 Vietnamese, from Gmail-,
 * Outlook- or phone-style clients: 40 % text/plain 8bit, 20 % text/plain quoted-printable,
 * 25 % multipart/alternative (text + HTML, base64), 15 % multipart/mixed with a small PNG.
 */
function makeMessages(count) {
  const next = random(20261123);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const pngs = Array.from({ length: 12 }, () => png(next, 12 + Math.floor(next() * 36)));
  const now = Date.now();
  const messages = [];
  for (let i = 0; i < count; i++) {
    const from = vnName(next, pick);
    const roll = next();
    const kind = roll < 0.4 ? 'plain8' : roll < 0.6 ? 'plainqp' : roll < 0.85 ? 'alternative' : 'attachment';
    const target = 1024 + Math.floor(next() * 19 * 1024); // raw bytes wanted, 1-20 KB
    const expansion = { plain8: 1, plainqp: 2.1, alternative: 2.9, attachment: 2.1 }[kind];
    const image = kind === 'attachment' ? pick(pngs) : undefined;
    const budget = Math.max(400, (target - 900 - (image ? image.length * 1.37 : 0)) / expansion);
    const paragraphs = [`Kính gửi Hòm thư góp ý,`];
    let size = 0;
    while (size < budget) {
      const sentences = Array.from({ length: 2 + Math.floor(next() * 4) }, () => pick(SENTENCES));
      const paragraph = sentences.join(' ');
      paragraphs.push(paragraph);
      size += Buffer.byteLength(paragraph) + 2;
    }
    paragraphs.push(`Trân trọng,\n${from.name}\nĐiện thoại: 09${String(Math.floor(next() * 1e8)).padStart(8, '0')}`);
    const text = paragraphs.join('\n\n');
    const subject = `${pick(SUBJECTS)}${next() < 0.3 ? ` (lần ${2 + Math.floor(next() * 3)})` : ''}`;
    const date = new Date(now - Math.floor(next() * 3 * 86400_000) - 60_000);
    const id = `<bench.${i}.${Math.floor(next() * 1e9).toString(36)}@${from.address.split('@')[1]}>`;
    const boundary = `----=_Part_${i}_${Math.floor(next() * 1e9)}`;
    const head = [
      `Return-Path: <${from.address}>`,
      `Received: from mail-${i % 7}.${from.address.split('@')[1]} (mail-${i % 7}.${from.address.split('@')[1]} [203.0.113.${i % 250}])`,
      `\tby mx.gopy.bench with ESMTPS id ${i.toString(36)}; ${date.toUTCString().replace('GMT', '+0000')}`,
      `From: ${encodedWords(from.name)} <${from.address}>`,
      'To: =?UTF-8?B?SMOybSB0aMawIGfDs3Agw70=?= <hopthu@gopy.bench>',
      `Subject: ${encodedWords(subject)}`,
      `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
      `Message-ID: ${id}`,
      'MIME-Version: 1.0',
    ];
    let body;
    if (kind === 'plain8') {
      head.push('Content-Type: text/plain; charset="UTF-8"', 'Content-Transfer-Encoding: 8bit');
      body = `${text.replace(/\n/g, '\r\n')}\r\n`;
    } else if (kind === 'plainqp') {
      head.push('Content-Type: text/plain; charset="UTF-8"', 'Content-Transfer-Encoding: quoted-printable');
      body = qp(text);
    } else if (kind === 'alternative') {
      const html = `<div dir="ltr">${text
        .split('\n\n')
        .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
        .join('\n')}</div>`;
      head.push(`Content-Type: multipart/alternative; boundary="${boundary}"`);
      body = [
        `--${boundary}`,
        'Content-Type: text/plain; charset="UTF-8"',
        'Content-Transfer-Encoding: base64',
        '',
        b64(Buffer.from(text.replace(/\n/g, '\r\n'))),
        `--${boundary}`,
        'Content-Type: text/html; charset="UTF-8"',
        'Content-Transfer-Encoding: base64',
        '',
        b64(Buffer.from(html)),
        `--${boundary}--`,
        '',
      ].join('\r\n');
    } else {
      const file = `anh-hien-truong-${i}.png`;
      head.push(`Content-Type: multipart/mixed; boundary="${boundary}"`);
      body = [
        `--${boundary}`,
        'Content-Type: text/plain; charset="UTF-8"',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        qp(text),
        `--${boundary}`,
        `Content-Type: image/png; name="${file}"`,
        `Content-Disposition: attachment; filename="${file}"`,
        'Content-Transfer-Encoding: base64',
        '',
        b64(image),
        `--${boundary}--`,
        '',
      ].join('\r\n');
    }
    messages.push({ raw: Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`), date, kind });
  }
  return messages;
}

// ---------------------------------------------------------------- report

const mb = (bytes) => fmt(bytes / 2 ** 20, 0);

function printTable(rows) {
  const head = ['implementation', 'messages', 'seconds', 'messages/s', 'peak RSS MB', 'RSS before MB', 'peak heap MB'];
  const body = rows.map((r) => [
    r.name + (r.noisy ? ' *' : ''),
    fmt(r.imported),
    fmt(r.seconds, 1),
    fmt(r.rate, 1),
    mb(r.peakRss),
    mb(r.rssBefore),
    mb(r.peakHeap),
  ]);
  printAligned([head, ...body]);
}

/**
 * What one serial importer would manage on an idle machine of this kind: the importer, its
 * PostgreSQL backend and Dovecot take turns on each message, so a message costs about their
 * CPU together (on the cleanest runs wall time came within 1 % of that sum).
 */
const estimate = (r) => (1000 * r.imported) / (r.nodeMs + r.postgresMs + r.dovecotMs);

function printCpu(rows) {
  const head = ['implementation', 'node', 'postgres', 'dovecot', 'other', 'wall', 'serial estimate msg/s'];
  const per = (ms, n) => fmt(ms / n, 2);
  const body = rows.map((r) => [
    r.name,
    per(r.nodeMs, r.imported),
    per(r.postgresMs, r.imported),
    per(r.dovecotMs, r.imported),
    per(r.otherMs, r.imported),
    per(r.seconds * 1000, r.imported),
    fmt(estimate(r), 0),
  ]);
  printAligned([head, ...body]);
}

// ---------------------------------------------------------------- main

const children = new Set();
let cleanup = async () => undefined;
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    cleanup().finally(() => process.exit(130));
    setTimeout(() => process.exit(130), 5000).unref();
  });
}

async function main() {
  const started = performance.now();
  ensureBuilt({ root: ROOT, entry: GOPY_ENTRY, prebuilt: args.dist && DIST });
  const tmp = mkdtempSync(join(os.tmpdir(), 'gopy-bench-mail-'));
  const key = randomBytes(32).toString('base64');
  const baseEnv = {
    NODE_ENV: 'production',
    DATABASE_URL,
    DATABASE_POOL_SIZE: '10',
    REDIS_URL,
    QUEUE_PREFIX: `{gopybenchmail-${process.pid}}`,
    LOG_LEVEL: 'warn',
    ENCRYPTION_KEYS: `bench:${key}`,
    FORM_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    PUBLIC_BASE_URL: 'http://localhost:3000',
    MAIL_DIR: join(tmp, 'mail'),
    CONFIG_DIR: join(ROOT, 'config'),
  };
  await recreateDatabase({ ...process.env, ...baseEnv, NODE_ENV: 'development', NODE_PATH });

  const USERS = {
    gopy: { user: 'hopthu-gopy', password: randomBytes(9).toString('base64url') },
    baseline: { user: 'hopthu-baseline', password: randomBytes(9).toString('base64url') },
  };
  const users = Object.values(USERS);
  const dovecot = await startDovecot(users);
  cleanup = async () => {
    await dovecot.destroy();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    log(`dovecot ${dovecot.version} on 127.0.0.1:${dovecot.port}`);
    const messages = makeMessages(MESSAGES);
    const sizes = messages.map((m) => m.raw.length).sort((a, b) => a - b);
    const kinds = {};
    for (const m of messages) kinds[m.kind] = (kinds[m.kind] ?? 0) + 1;
    // Both users at once (their mailboxes do not share locks); not measured.
    const t0 = performance.now();
    await Promise.all(SIDES.map((side) => appendAll(dovecot.imap(USERS[side].user), messages)));
    for (const side of SIDES) {
      const counts = await folderCounts(dovecot.imap(USERS[side].user), ['INBOX']);
      if (counts.INBOX !== MESSAGES) fail(`${side}: ${counts.INBOX} messages in INBOX after appending ${MESSAGES}`);
    }
    log(
      `appended ${MESSAGES} messages to ${SIDES.map((s) => USERS[s].user).join(' and ')} in ` +
        `${((performance.now() - t0) / 1000).toFixed(1)} s (not measured)`,
    );

    const unit = await withClient(DATABASE_URL, async (db) => {
      await createBaselineTable(db);
      const { rows } = await db.query(`SELECT code FROM units WHERE active ORDER BY code LIMIT 1`);
      return rows[0]?.code;
    });
    const mailboxesFile = join(tmp, 'mailboxes.yaml');
    writeFileSync(
      mailboxesFile,
      [
        'mailboxes:',
        '  - name: bench',
        '    address: hopthu@gopy.bench',
        '    host: 127.0.0.1',
        `    port: ${dovecot.port}`,
        '    tls: false',
        `    user: ${USERS.gopy.user}`,
        '    password_env: GOPY_MAILBOX_BENCH_PASSWORD',
        ...(unit ? [`    unit: ${unit}`] : []),
        '    topic: phan_anh_kien_nghi',
        '',
      ].join('\n'),
    );

    const { pgVersion, sync } = await withClient(DATABASE_URL, async (db) => ({
      pgVersion: (await db.query('SHOW server_version')).rows[0].server_version,
      sync: (await db.query('SHOW synchronous_commit')).rows[0].synchronous_commit,
    }));
    const git = gitDescribe(ROOT);
    console.log(
      `\ngopy mail import benchmark: ${fmt(MESSAGES)} messages per side, ${mb(sizes.reduce((a, b) => a + b, 0))} MB ` +
        `(raw ${fmt(sizes[0] / 1024, 1)}-${fmt(sizes.at(-1) / 1024, 1)} KB, median ${fmt(sizes[sizes.length >> 1] / 1024, 1)} KB; ` +
        Object.entries(kinds)
          .map(
            ([k, n]) =>
              `${n} ${{ plain8: 'plain 8bit', plainqp: 'plain QP', alternative: 'text+HTML', attachment: 'with a PNG' }[k]}`,
          )
          .join(', ') +
        ')',
    );
    console.log(
      describeMachine([
        `PostgreSQL ${pgVersion} (synchronous_commit ${sync})`,
        `Dovecot ${dovecot.version} (maildir, loopback)`,
      ]),
    );
    console.log(
      `code: ${git} (gopy dist${args.dist ? ` ${DIST}` : ''} built ${new Date(statSync(GOPY_ENTRY).mtimeMs).toISOString()})\n`,
    );

    const sides = [
      {
        name: 'gopy (MailboxImporter.poll)',
        side: 'gopy',
        user: USERS.gopy.user,
        job: {
          env: {
            ...baseEnv,
            MAILBOXES_FILE: mailboxesFile,
            MAILBOX_POLL_SECONDS: '0',
            GOPY_MAILBOX_BENCH_PASSWORD: USERS.gopy.password,
          },
          box: 'bench',
        },
      },
      { name: 'baseline (imapflow + simpleParser + pg)', side: 'baseline', user: USERS.baseline.user, job: {} },
    ].filter((s) => SIDES.includes(s.side));
    const rows = [];
    for (const side of sides) {
      await withClient(DATABASE_URL, (db) => db.query('CHECKPOINT'));
      // Other work on the machine skews the figures.
      await waitForIdle({ seconds: IDLE_WAIT, before: 'this side' });
      log(`${side.name}: importing ${MESSAGES} messages`);
      const result = await runChild(side.side, {
        ...side.job,
        messages: MESSAGES,
        imap: dovecot.imap(side.user),
        databaseUrl: DATABASE_URL,
        dovecotPid: dovecot.pid,
        profile: args.profile,
        profileFile: join(tmp, `${side.side}.cpuprofile`),
      });
      const folders = await folderCounts(dovecot.imap(side.user), ['INBOX', 'Processed', 'Quarantine']);
      const row = {
        name: side.name,
        side: side.side,
        ...result,
        folders,
        rate: result.imported / result.seconds,
        noisy: result.otherMs >= 0.1 * (result.nodeMs + result.postgresMs + result.dovecotMs),
      };
      if (side.side === 'gopy') {
        row.db = await withClient(DATABASE_URL, async (db) => ({
          inbound: (await db.query(`SELECT status, count(*)::int AS n FROM inbound_messages GROUP BY 1 ORDER BY 1`))
            .rows,
          cases: (await db.query(`SELECT count(*)::int AS n FROM cases WHERE channel = 'email'`)).rows[0].n,
          attachments: (await db.query(`SELECT count(*)::int AS n FROM attachments`)).rows[0].n,
        }));
      } else {
        row.db = await withClient(DATABASE_URL, async (db) => ({
          rows: (await db.query(`SELECT count(*)::int AS n FROM ${BASELINE_TABLE}`)).rows[0].n,
        }));
      }
      log(
        `${side.name}: ${fmt(row.imported)} in ${fmt(row.seconds, 1)} s = ${fmt(row.rate, 1)} messages/s; ` +
          `folders ${JSON.stringify(folders)}; database ${JSON.stringify(row.db)}`,
      );
      if (row.imported !== MESSAGES || folders.INBOX !== 0 || folders.Processed !== MESSAGES)
        log(`WARNING: ${side.name} did not import and move all ${MESSAGES} messages (${JSON.stringify(result)})`);
      rows.push(row);
    }

    const gopy = rows.find((r) => r.side === 'gopy');
    const baseline = rows.find((r) => r.side === 'baseline');
    console.log('\nresults (* = other work on the machine used >= 10 % as much CPU as the import itself)\n');
    printTable(rows);
    console.log("\nCPU time per message, ms (node = the importing process; postgres = this database's backends;");
    console.log('dovecot = its master and all its processes; other = anything else on the machine; wall = elapsed;');
    console.log('serial estimate = 1000 / (node + postgres + dovecot): what one importer does on an idle machine)\n');
    printCpu(rows);
    if (gopy && baseline)
      console.log(
        `\ngopy / baseline: ${fmt(gopy.rate, 1)} / ${fmt(baseline.rate, 1)} messages/s = ${fmt((100 * gopy.rate) / baseline.rate, 1)} %; ` +
          `peak RSS ${mb(gopy.peakRss)} vs ${mb(baseline.peakRss)} MB (VmHWM ${mb(gopy.vmHwm)} vs ${mb(baseline.vmHwm)} MB)`,
      );
    if (gopy) {
      console.log(
        `gopy: ${gopy.polls} poll(s), imported ${gopy.imported}, quarantined ${gopy.quarantined}, failed ${gopy.failed}; ` +
          `inbound_messages ${gopy.db.inbound.map((r) => `${r.status} ${r.n}`).join(', ')}; ` +
          `${gopy.db.cases} e-mail cases, ${gopy.db.attachments} attachments; Processed ${gopy.folders.Processed}, INBOX ${gopy.folders.INBOX}`,
      );
    }
    const met = gopy ? gopy.rate >= TARGET_RATE && gopy.imported === MESSAGES : undefined;
    if (gopy) console.log(`target >= ${TARGET_RATE} messages/s: ${met ? 'MET' : 'MISSED'} (${fmt(gopy.rate, 1)})`);

    if (args.profile) {
      console.log('\nnote: --profile: the figures above were taken with the profiler and step timers on');
      for (const row of rows) {
        if (row.phases) printPhases(row.name, new Map(row.phases), row.imported, row.seconds);
        const file = join(tmp, `${row.side}.cpuprofile`);
        if (existsSync(file))
          printProfile(
            row.name,
            summariseProfile(file, { root: ROOT, top: 20, areaTop: 15, skipProgram: true }),
            row.imported,
          );
      }
    }

    console.log(
      `\nBENCH_RESULT ${JSON.stringify({
        git,
        messages: MESSAGES,
        bytes: sizes.reduce((a, b) => a + b, 0),
        sides: rows.map(({ phases: _phases, ...r }) => r),
        ratio: gopy && baseline ? gopy.rate / baseline.rate : undefined,
        target: { rate: TARGET_RATE, met },
        profiled: args.profile,
      })}`,
    );
    log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s; database ${DB_NAME} left in place`);
    if (args.strict && met === false) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

if (args.side) {
  runSide(args.side, JSON.parse(process.env.BENCH_MAIL_JOB ?? '{}')).then(
    () => process.exit(0),
    (error) => {
      console.error(error.stack ?? error);
      process.exit(1);
    },
  );
} else {
  main().catch(async (error) => {
    console.error(`bench: ${error.stack ?? error}`);
    await cleanup().catch(() => undefined);
    process.exit(1);
  });
}
