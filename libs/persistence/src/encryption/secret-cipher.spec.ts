import { Clock, DomainError } from '@obc/common';
import type { SecretRef } from '@obc/config';
import { randomBytes } from 'node:crypto';
import type { PersistenceSettings } from '../persistence.settings';
import { CURRENT_KEY_TTL_MS, EncryptionKeyRing } from './encryption-key-ring';
import { EncryptionKeyEntity } from './encryption-key.entity';
import type { EncryptionKeyRepository } from './encryption-key.repository';
import { SecretCipher } from './secret-cipher';

class FakeClock extends Clock {
  ms = Date.parse('2026-01-01T00:00:00Z');
  now(): Date {
    return new Date(this.ms);
  }
}

function keyRow(id: string, name: string, isCurrent: boolean): EncryptionKeyEntity {
  return Object.assign(new EncryptionKeyEntity(), {
    id,
    source: 'env',
    name,
    isCurrent,
    created: new Date(),
    createdBy: null,
    reference: null,
    deleted: null,
  });
}

const AAD = {
  table: 'consent',
  rowId: '1b0e2f8a-3c1d-4e5f-9a7b-0c1d2e3f4a5b',
  column: 'accessToken',
};
const PLAINTEXT = 'eyJhbGciOiJQUzI1NiJ9.secret-token-value';

function setup(opts: { defaultKey?: Buffer; rows?: EncryptionKeyEntity[]; current?: string } = {}) {
  const rows = new Map((opts.rows ?? []).map((r) => [r.id, r]));
  const material = new Map<string, string>();
  for (const r of rows.values()) material.set(r.name, randomBytes(32).toString('base64'));
  let currentId = opts.current;
  const repo = {
    findCurrent: jest.fn(async () => (currentId ? (rows.get(currentId) ?? null) : null)),
    findByIdIncludingDeleted: jest.fn(async (id: string) => rows.get(id) ?? null),
  };
  const resolver = {
    resolve: jest.fn(
      async (ref: SecretRef) => material.get(ref.name) ?? Promise.reject(new Error('missing')),
    ),
  };
  const settings: PersistenceSettings = {
    database: { sqlitePath: ':memory:', migrateOnStart: true, poolSize: 1, logging: false },
    encryption: { defaultKey: opts.defaultKey, defaultKeyId: 'default' },
  };
  const clock = new FakeClock();
  const ring = new EncryptionKeyRing(
    repo as unknown as EncryptionKeyRepository,
    settings,
    resolver,
    clock,
  );
  const cipher = new SecretCipher(ring);
  return {
    cipher,
    ring,
    repo,
    resolver,
    clock,
    addRow: (row: EncryptionKeyEntity) => {
      rows.set(row.id, row);
      material.set(row.name, randomBytes(32).toString('base64'));
    },
    makeCurrent: (id: string | undefined) => (currentId = id),
  };
}

async function expectDomainError(promise: Promise<unknown>, code: string): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  return error as DomainError;
}

describe('SecretCipher', () => {
  it('round-trips under the default key, in the obc1 format, with a fresh IV each time', async () => {
    const { cipher } = setup({ defaultKey: randomBytes(32) });
    const a = await cipher.encrypt(PLAINTEXT, AAD);
    const b = await cipher.encrypt(PLAINTEXT, AAD);
    expect(a).toMatch(/^obc1\.default\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(a).not.toContain(PLAINTEXT);
    expect(a).not.toBe(b);
    expect(await cipher.decrypt(a, AAD)).toBe(PLAINTEXT);
    expect(await cipher.decrypt(b, AAD)).toBe(PLAINTEXT);
    expect(await cipher.decrypt(await cipher.encrypt('', AAD), AAD)).toBe('');
  });

  it('detects any tampering with the ciphertext, tag or iv', async () => {
    const { cipher } = setup({ defaultKey: randomBytes(32) });
    const stored = await cipher.encrypt(PLAINTEXT, AAD);
    const parts = stored.split('.');
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index], 'base64url');
      bytes[0] ^= 0x01;
      const tampered = [...parts];
      tampered[index] = bytes.toString('base64url');
      const error = await expectDomainError(
        cipher.decrypt(tampered.join('.'), AAD),
        'encryption/decrypt-failed',
      );
      expect(error.message).not.toContain(PLAINTEXT);
      expect(error.message).not.toContain(parts[3]);
    }
    await expectDomainError(cipher.decrypt('not-encrypted', AAD), 'encryption/decrypt-failed');
    await expectDomainError(
      cipher.decrypt(parts.slice(0, 4).join('.'), AAD),
      'encryption/decrypt-failed',
    );
  });

  it('refuses a value moved to another row, column or table', async () => {
    const { cipher } = setup({ defaultKey: randomBytes(32) });
    const stored = await cipher.encrypt(PLAINTEXT, AAD);
    await expectDomainError(
      cipher.decrypt(stored, { ...AAD, rowId: 'f3c1e2d4-0000-4000-8000-000000000000' }),
      'encryption/decrypt-failed',
    );
    await expectDomainError(
      cipher.decrypt(stored, { ...AAD, column: 'refreshToken' }),
      'encryption/decrypt-failed',
    );
    const error = await expectDomainError(
      cipher.decrypt(stored, { ...AAD, table: 'registration' }),
      'encryption/decrypt-failed',
    );
    expect(error.kind).toBe('internal');
    expect(error.detail).toContain('registration.accessToken');
  });

  it('refuses a value under a different key with the same id', async () => {
    const first = setup({ defaultKey: randomBytes(32) });
    const second = setup({ defaultKey: randomBytes(32) });
    const stored = await first.cipher.encrypt(PLAINTEXT, AAD);
    await expectDomainError(second.cipher.decrypt(stored, AAD), 'encryption/decrypt-failed');
  });

  it('rotates: new values use the new current key, old values still decrypt', async () => {
    const k1 = keyRow('0f9e8d7c-1111-4111-8111-111111111111', 'KEY_ONE', true);
    const k2 = keyRow('0f9e8d7c-2222-4222-8222-222222222222', 'KEY_TWO', false);
    const t = setup({ defaultKey: randomBytes(32) });
    const underDefault = await t.cipher.encrypt(PLAINTEXT, AAD);
    t.addRow(k1);
    t.makeCurrent(k1.id);
    t.ring.invalidate();
    const underK1 = await t.cipher.encrypt(PLAINTEXT, AAD);
    expect(underK1.split('.')[1]).toBe(k1.id);
    t.addRow(k2);
    t.makeCurrent(k2.id);
    t.ring.invalidate();
    const underK2 = await t.cipher.encrypt('second', AAD);
    expect(underK2.split('.')[1]).toBe(k2.id);
    expect(await t.cipher.decrypt(underDefault, AAD)).toBe(PLAINTEXT);
    expect(await t.cipher.decrypt(underK1, AAD)).toBe(PLAINTEXT);
    expect(await t.cipher.decrypt(underK2, AAD)).toBe('second');
    // Material is resolved once per key id, however many values use it.
    await t.cipher.decrypt(underK1, AAD);
    expect(t.resolver.resolve.mock.calls.filter(([ref]) => ref.name === 'KEY_ONE')).toHaveLength(1);
  });

  it('caches which key is current for a short time only', async () => {
    const k1 = keyRow('0f9e8d7c-3333-4333-8333-333333333333', 'KEY_A', true);
    const t = setup({ defaultKey: randomBytes(32) });
    expect((await t.cipher.encrypt('x', AAD)).split('.')[1]).toBe('default');
    t.addRow(k1);
    t.makeCurrent(k1.id);
    // Another replica made k1 current: this one keeps the default until the TTL passes.
    t.clock.ms += CURRENT_KEY_TTL_MS - 1;
    expect((await t.cipher.encrypt('x', AAD)).split('.')[1]).toBe('default');
    t.clock.ms += 2;
    expect((await t.cipher.encrypt('x', AAD)).split('.')[1]).toBe(k1.id);
    expect(t.repo.findCurrent).toHaveBeenCalledTimes(2);
  });

  it('fails clearly for an unknown key id', async () => {
    const { cipher } = setup({ defaultKey: randomBytes(32) });
    const stored = await cipher.encrypt(PLAINTEXT, AAD);
    const foreign = stored.replace('obc1.default.', 'obc1.9d1c5c8e-aaaa-4aaa-8aaa-aaaaaaaaaaaa.');
    const error = await expectDomainError(cipher.decrypt(foreign, AAD), 'encryption/unknown-key');
    expect(error.detail).toContain('9d1c5c8e-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
  });

  it('refuses to encrypt when there is no key at all', async () => {
    const { cipher } = setup();
    const error = await expectDomainError(cipher.encrypt(PLAINTEXT, AAD), 'encryption/no-key');
    expect(error.kind).toBe('conflict');
    expect(error.detail).toContain('ENCRYPTION_KEY');
    expect(error.detail).toContain('POST /v1/manage/encryption-keys');
  });

  it('reports an unusable current key without its material', async () => {
    const k1 = keyRow('0f9e8d7c-4444-4444-8444-444444444444', 'KEY_BAD', true);
    const t = setup({ rows: [k1], current: k1.id });
    t.resolver.resolve.mockResolvedValueOnce(Buffer.alloc(16, 7).toString('base64'));
    const error = await expectDomainError(
      t.cipher.encrypt(PLAINTEXT, AAD),
      'encryption/key-unavailable',
    );
    expect(error.detail).toContain('env:KEY_BAD');
    // The failure is not cached: once the reference holds a good key, encryption works.
    t.ring.invalidate();
    const stored = await t.cipher.encrypt(PLAINTEXT, AAD);
    expect(await t.cipher.decrypt(stored, AAD)).toBe(PLAINTEXT);
  });
});
