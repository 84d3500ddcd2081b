import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EncryptionKeyRing } from './encryption-key-ring';
import { DecryptFailedError, NoEncryptionKeyError } from './encryption.errors';
import type { EncryptionAad } from './encryption.types';

const VERSION = 'obc1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function aadBytes(aad: EncryptionAad): Buffer {
  return Buffer.from(`${VERSION}|${aad.table}|${aad.rowId}|${aad.column}`, 'utf8');
}

interface ParsedValue {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/** `obc1.<keyId>.<iv>.<ciphertext>.<tag>`; the key id is everything between the first and the last three parts. */
function parse(stored: string): ParsedValue | undefined {
  const parts = stored.split('.');
  if (parts.length < 5 || parts[0] !== VERSION) return undefined;
  const [ivText, ciphertextText, tagText] = parts.slice(-3);
  const keyId = parts.slice(1, -3).join('.');
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (!keyId || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return undefined;
  return { keyId, iv, ciphertext: Buffer.from(ciphertextText, 'base64url'), tag };
}

/**
 * Encryption at rest for secrets stored in columns (tokens, client secrets, private keys).
 * AES-256-GCM with a fresh random IV per value; the authenticated data binds the value to its
 * table, row and column, so a value copied elsewhere does not decrypt; each value names its key
 * so keys can rotate without re-encrypting old rows.
 */
@Injectable()
export class SecretCipher {
  constructor(private readonly keys: EncryptionKeyRing) {}

  async encrypt(plaintext: string, aad: EncryptionAad): Promise<string> {
    const key = await this.keys.currentKey();
    if (!key) throw new NoEncryptionKeyError();
    // Random IVs straight from the CSPRNG: a repeated IV under one GCM key is catastrophic, so
    // this is deliberately not a replaceable provider.
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key.material, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aadBytes(aad));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      key.id,
      iv.toString('base64url'),
      ciphertext.toString('base64url'),
      tag.toString('base64url'),
    ].join('.');
  }

  async decrypt(stored: string, aad: EncryptionAad): Promise<string> {
    const value = parse(stored);
    if (!value) throw new DecryptFailedError(aad, `it is not an ${VERSION} encrypted value`);
    const material = await this.keys.keyById(value.keyId);
    try {
      const decipher = createDecipheriv(ALGORITHM, material, value.iv, {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(aadBytes(aad));
      decipher.setAuthTag(value.tag);
      return Buffer.concat([decipher.update(value.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptFailedError(
        aad,
        `it does not authenticate under key '${value.keyId}' (altered, copied from another row or column, or the key material changed)`,
      );
    }
  }
}
