import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** One mailbox the worker imports from. The password comes from the environment only. */
export interface MailboxConfig {
  name: string;
  // The published address: receipts and answers go out with it as Reply-To.
  address: string;
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  folders: { inbox: string; processed: string; quarantine: string };
  unitCode?: string;
  topic: string;
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Reads the mailboxes file (`MAILBOXES_FILE`, default `config/mailboxes.yaml`); a missing
 * file means no mailboxes. Every problem is reported with the entry it is in; a password
 * variable that is not set is a problem too, so a mailbox never polls with no password.
 */
export function loadMailboxes(
  file: string,
  env: Record<string, string | undefined>,
  topicCodes: readonly string[],
): MailboxConfig[] {
  if (!existsSync(file)) return [];
  const raw = parse(readFileSync(file, 'utf8')) as { mailboxes?: unknown } | null;
  const list = raw?.mailboxes ?? [];
  if (!Array.isArray(list)) throw new Error(`mailboxes.yaml: mailboxes must be a list`);
  const problems: string[] = [];
  const seen = new Set<string>();
  const out: MailboxConfig[] = [];
  for (const [index, item] of list.entries()) {
    const entry = (item ?? {}) as Record<string, unknown>;
    const where = `mailboxes #${index + 1}`;
    const str = (key: string) => {
      const value = entry[key];
      return typeof value === 'string' ? value.trim() : '';
    };
    const name = str('name');
    if (!NAME.test(name)) problems.push(`${where}: name must be lower-case letters, digits, - or _`);
    else if (seen.has(name)) problems.push(`${where}: name ${name} is used twice`);
    seen.add(name);
    const address = str('address');
    if (!EMAIL.test(address)) problems.push(`${where}: address must be an email address`);
    const host = str('host');
    if (!host) problems.push(`${where}: host is required`);
    const port = Number(entry.port ?? 993);
    if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`${where}: port must be 1-65535`);
    const user = str('user') || (str('user_env') ? (env[str('user_env')] ?? '') : '');
    if (!user) problems.push(`${where}: user (or user_env naming a set variable) is required`);
    const passwordEnv = str('password_env');
    const password = passwordEnv ? (env[passwordEnv] ?? '') : '';
    if (!passwordEnv) problems.push(`${where}: password_env is required (passwords never live in files)`);
    else if (!passwordEnv.startsWith('GOPY_MAILBOX_'))
      problems.push(`${where}: password_env must start with GOPY_MAILBOX_ (only those variables are read)`);
    else if (!password) problems.push(`${where}: environment variable ${passwordEnv} is not set`);
    const topic = str('topic') || 'khac';
    if (!topicCodes.includes(topic)) problems.push(`${where}: topic ${topic} is not in topics.yaml`);
    const folders = (entry.folders ?? {}) as Record<string, unknown>;
    const folder = (key: string, fallback: string) => {
      const value = folders[key];
      return typeof value === 'string' && value.trim() ? value.trim() : fallback;
    };
    out.push({
      name,
      address,
      host,
      port,
      secure: entry.tls === undefined ? port === 993 : entry.tls === true,
      user,
      password,
      folders: {
        inbox: folder('inbox', 'INBOX'),
        processed: folder('processed', 'Processed'),
        quarantine: folder('quarantine', 'Quarantine'),
      },
      unitCode: str('unit') ? str('unit').toUpperCase() : undefined,
      topic,
    });
  }
  if (problems.length > 0) throw new Error(`mailboxes.yaml:\n  - ${problems.join('\n  - ')}`);
  return out;
}
