import { hash, verify } from 'argon2';

// argon2id with the library's defaults (64 MiB, 3 passes, 4 lanes): OWASP's floor or better.
export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'));
}

// A hash of nothing in particular, verified when the email is unknown, so a wrong email
// costs the same time as a wrong password and does not reveal who has an account.
let decoy: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    decoy ??= hash('gopy-decoy-password');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password.normalize('NFC')).catch(() => false);
}
