import { randomBytes } from 'node:crypto';
import { decodeKeyMaterial } from './key-material';

describe('decodeKeyMaterial', () => {
  it('accepts base64 and base64url of exactly 32 bytes', () => {
    const key = randomBytes(32);
    expect(decodeKeyMaterial(key.toString('base64'))?.equals(key)).toBe(true);
    expect(decodeKeyMaterial(`${key.toString('base64url')}\n`)?.equals(key)).toBe(true);
  });

  it('rejects other lengths and non-base64 text', () => {
    expect(decodeKeyMaterial(randomBytes(31).toString('base64'))).toBeUndefined();
    expect(decodeKeyMaterial(randomBytes(33).toString('base64'))).toBeUndefined();
    expect(decodeKeyMaterial('a'.repeat(32))).toBeUndefined();
    expect(decodeKeyMaterial('not base64 at all!')).toBeUndefined();
    expect(decodeKeyMaterial('')).toBeUndefined();
  });
});
