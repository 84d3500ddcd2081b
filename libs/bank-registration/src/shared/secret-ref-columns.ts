import type { SecretRef, SecretSource } from '@obc/config';

/** A SecretRef as stored: two columns, the reference only (never the secret). */
export function toSecretRef(source: string, name: string): SecretRef {
  return { source: source as SecretSource, name };
}
