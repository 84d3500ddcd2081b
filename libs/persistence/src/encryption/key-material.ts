import { KEY_BYTES } from './encryption.types';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes key material (base64 or base64url of exactly 32 bytes). Returns undefined when it is
 * anything else, so callers can word the error for their context; the value is never echoed.
 */
export function decodeKeyMaterial(value: string): Buffer | undefined {
  const text = value.trim();
  if (!(BASE64.test(text) || BASE64URL.test(text))) return undefined;
  const bytes = Buffer.from(text, BASE64.test(text) ? 'base64' : 'base64url');
  return bytes.length === KEY_BYTES ? bytes : undefined;
}
