import { Injectable } from '@nestjs/common';
import { GopyConfig } from '@gopy/config';
import { open, seal } from './cipher';

export interface SealedValue {
  keyId: string;
  ciphertext: Buffer;
}

/**
 * Encrypts personal data at rest with the current key and decrypts with whichever key
 * sealed it, so keys can be rotated without rewriting old rows at once.
 */
@Injectable()
export class PersonalDataCipher {
  private readonly keys: Map<string, Buffer>;
  private readonly currentKeyId: string;

  constructor(config: GopyConfig) {
    this.keys = new Map(config.encryption.keys.map((k) => [k.id, k.key]));
    this.currentKeyId = config.encryption.currentKeyId;
  }

  sealJson(value: unknown, context: string): SealedValue {
    return this.sealBytes(Buffer.from(JSON.stringify(value), 'utf8'), context);
  }

  openJson<T>(sealed: SealedValue, context: string): T {
    return JSON.parse(this.openBytes(sealed, context).toString('utf8')) as T;
  }

  sealBytes(bytes: Buffer, context: string): SealedValue {
    const key = this.keys.get(this.currentKeyId) as Buffer;
    return { keyId: this.currentKeyId, ciphertext: seal(key, bytes, context) };
  }

  openBytes(sealed: SealedValue, context: string): Buffer {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`Encryption key ${sealed.keyId} is not configured`);
    return open(key, sealed.ciphertext, context);
  }
}
