// The bare baseline for bench/mail.bench.mjs: what importing a mailbox costs without gopy.
// One imapflow connection, the INBOX's UIDs listed once, then per message and in order:
// FETCH the source by UID, mailparser's simpleParser, one INSERT (autocommit) of
// (message_id, subject, body) into a scratch table, and UID MOVE to the processed folder.
// No lookup, no transaction, no case, no encryption, no NFC, no attachment checks: the floor
// an importer of this shape (serial, one message at a time) cannot go below.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { ImapFlow } = require('imapflow');
const { simpleParser } = require('mailparser');
const { Client } = require('pg');

export const BASELINE_TABLE = 'bench_mail_baseline';

/** The scratch table, created empty. */
export async function createBaselineTable(db) {
  await db.query(`DROP TABLE IF EXISTS ${BASELINE_TABLE}`);
  await db.query(
    `CREATE TABLE ${BASELINE_TABLE} (id bigserial PRIMARY KEY, message_id text, subject text NOT NULL, body text NOT NULL)`,
  );
}

/** The baseline's database connection, opened before the measured import (gopy's pool is too). */
export async function connectBaseline(databaseUrl) {
  const db = new Client({ connectionString: databaseUrl, application_name: 'gopy-bench-baseline' });
  await db.connect();
  return db;
}

/**
 * Imports every message of the INBOX of `imap` (ImapFlow options) with the connected pg
 * client `db`. With `phases` (a Map), adds the wall time of each step to it, in ms.
 */
export async function importBaseline({ imap, db, processed = 'Processed', phases }) {
  const time = phases
    ? async (name, fn) => {
        const t0 = performance.now();
        try {
          return await fn();
        } finally {
          const entry = phases.get(name) ?? { ms: 0, calls: 0 };
          entry.ms += performance.now() - t0;
          entry.calls++;
          phases.set(name, entry);
        }
      }
    : (_name, fn) => fn();
  const client = new ImapFlow({ ...imap, logger: false, connectionTimeout: 15_000 });
  client.on('error', () => undefined);
  await client.connect();
  let imported = 0;
  try {
    await client.mailboxCreate(processed).catch(() => undefined);
    const lock = await client.getMailboxLock('INBOX');
    try {
      const uids = [];
      if (client.mailbox && client.mailbox.exists > 0) {
        for await (const message of client.fetch('1:*', { uid: true, size: true })) uids.push(message.uid);
      }
      for (const uid of uids) {
        const fetched = await time('imap: UID FETCH source', () =>
          client.fetchOne(String(uid), { source: true }, { uid: true }),
        );
        if (!fetched || !fetched.source) throw new Error(`uid ${uid}: the server returned no source`);
        const parsed = await time('mailparser simpleParser', () => simpleParser(fetched.source));
        await time('sql: INSERT (autocommit)', () =>
          db.query(`INSERT INTO ${BASELINE_TABLE} (message_id, subject, body) VALUES ($1, $2, $3)`, [
            parsed.messageId ?? null,
            parsed.subject ?? '',
            parsed.text ?? '',
          ]),
        );
        await time('imap: UID MOVE', () => client.messageMove(String(uid), processed, { uid: true }));
        imported++;
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return { seen: imported, imported, quarantined: 0, failed: 0 };
}
