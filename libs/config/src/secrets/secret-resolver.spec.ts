import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock, DomainError } from '@obc/common';
import { ConfigSecretProvider } from './config-secret.provider';
import { EnvSecretProvider } from './env-secret.provider';
import { FileSecretProvider } from './file-secret.provider';
import { SecretProvider } from './secret-provider';
import { SecretRef } from './secret-ref';
import { SECRET_CACHE_TTL_MS, SecretResolver, createSecretResolver } from './secret-resolver';

class FakeClock extends Clock {
  ms = 1_700_000_000_000;
  now(): Date {
    return new Date(this.ms);
  }
}

async function failure(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(e)}`);
  return e;
}

describe('FileSecretProvider', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'obc-secret-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file and drops trailing newlines only', async () => {
    writeFileSync(join(dir, 'k'), '  value with spaces \r\n\n');
    await expect(
      new FileSecretProvider().get({ source: 'file', name: join(dir, 'k') }),
    ).resolves.toBe('  value with spaces ');
  });

  it('resolves relative names against its base directory', async () => {
    writeFileSync(join(dir, 'rel'), 'r');
    await expect(new FileSecretProvider(dir).get({ source: 'file', name: 'rel' })).resolves.toBe(
      'r',
    );
  });

  it('missing file: secret/not-found naming the file, kind validation', async () => {
    const e = await failure(
      new FileSecretProvider().get({ source: 'file', name: join(dir, 'nope') }),
    );
    expect(e).toMatchObject({ code: 'secret/not-found', kind: 'validation' });
    expect(e.detail).toContain(join(dir, 'nope'));
    expect(e.detail).toContain("source 'file'");
  });

  it("refuses '..' segments and directories", async () => {
    expect(
      await failure(new FileSecretProvider(dir).get({ source: 'file', name: '../etc/passwd' })),
    ).toMatchObject({ code: 'secret/invalid-reference' });
    expect(
      await failure(new FileSecretProvider().get({ source: 'file', name: `${dir}/../x` })),
    ).toMatchObject({ code: 'secret/invalid-reference' });
    expect(
      await failure(new FileSecretProvider().get({ source: 'file', name: dir })),
    ).toMatchObject({ code: 'secret/invalid-reference' });
  });

  it('an empty file is not a secret', async () => {
    writeFileSync(join(dir, 'empty'), '\n');
    expect(
      await failure(new FileSecretProvider().get({ source: 'file', name: join(dir, 'empty') })),
    ).toMatchObject({ code: 'secret/not-found' });
  });
});

describe('EnvSecretProvider and ConfigSecretProvider', () => {
  it('env: reads the captured environment', async () => {
    const p = new EnvSecretProvider((n) => ({ OBWAC_KEY: 'pem' })[n]);
    await expect(p.get({ source: 'env', name: 'OBWAC_KEY' })).resolves.toBe('pem');
    const e = await failure(p.get({ source: 'env', name: 'OTHER' }));
    expect(e).toMatchObject({ code: 'secret/not-found', kind: 'validation' });
    expect(e.detail).toBe("No secret 'OTHER' in source 'env': the variable is not set.");
  });

  it('config: reads the secrets map', async () => {
    const p = new ConfigSecretProvider((n) => new Map([['a', 'A']]).get(n));
    await expect(p.get({ source: 'config', name: 'a' })).resolves.toBe('A');
    expect((await failure(p.get({ source: 'config', name: 'b' }))).detail).toContain(
      "No secret 'b' in source 'config'",
    );
  });
});

describe('SecretResolver', () => {
  class CountingProvider implements SecretProvider {
    readonly source = 'env' as const;
    calls = 0;
    fail = false;
    async get(ref: SecretRef): Promise<string> {
      this.calls++;
      if (this.fail) throw new Error('boom');
      return `${ref.name}#${this.calls}`;
    }
  }

  it('dispatches by source', async () => {
    const r = createSecretResolver({
      env: (n) => (n === 'E' ? 'from-env' : undefined),
      configSecret: (n) => (n === 'C' ? 'from-config' : undefined),
      aws: { region: 'eu-west-2' },
    });
    await expect(r.resolve({ source: 'env', name: 'E' })).resolves.toBe('from-env');
    await expect(r.resolve({ source: 'config', name: 'C' })).resolves.toBe('from-config');
    expect(
      await failure(r.resolve({ source: 'vault' as SecretRef['source'], name: 'x' })),
    ).toMatchObject({ code: 'secret/invalid-reference' });
  });

  it('caches by source and name for the TTL', async () => {
    const clock = new FakeClock();
    const p = new CountingProvider();
    const r = new SecretResolver([p], clock);
    await expect(r.resolve({ source: 'env', name: 'A' })).resolves.toBe('A#1');
    await expect(r.resolve({ source: 'env', name: 'A' })).resolves.toBe('A#1');
    await expect(r.resolve({ source: 'env', name: 'B' })).resolves.toBe('B#2');
    clock.ms += SECRET_CACHE_TTL_MS - 1;
    await expect(r.resolve({ source: 'env', name: 'A' })).resolves.toBe('A#1');
    clock.ms += 1;
    await expect(r.resolve({ source: 'env', name: 'A' })).resolves.toBe('A#3');
  });

  it('does not cache failures', async () => {
    const p = new CountingProvider();
    const r = new SecretResolver([p], new FakeClock());
    p.fail = true;
    await expect(r.resolve({ source: 'env', name: 'A' })).rejects.toThrow('boom');
    p.fail = false;
    await expect(r.resolve({ source: 'env', name: 'A' })).resolves.toBe('A#2');
  });
});

describe('env source refuses the connector own settings', () => {
  it.each(['API_KEYS', 'DATABASE_URL', 'ENCRYPTION_KEY_SSM', 'AWS_SECRET_ACCESS_KEY'])(
    '%s',
    async (name) => {
      const p = new EnvSecretProvider(() => 'value-that-must-not-leak');
      await expect(p.get({ source: 'env', name })).rejects.toMatchObject({
        code: 'secret/invalid-reference',
      });
    },
  );
});
