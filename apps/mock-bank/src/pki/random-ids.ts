import { randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomBase62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += BASE62[randomInt(BASE62.length)];
  return out;
}

/** 18 characters like the OB directory's Salesforce-style ids (`0015800001ZEZ3hAAH`). */
export function randomOrganisationId(): string {
  return `0015800001${randomBase62(8)}`;
}

/** 22 base62 characters, the OB directory's software statement id format. */
export function randomSoftwareId(): string {
  return randomBase62(22);
}
