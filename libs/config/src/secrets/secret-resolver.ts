import { Clock, SystemClock } from '@obc/common';
import { AwsSsmSecretProvider, AwsSsmSecretProviderOptions } from './aws-ssm-secret.provider';
import { ConfigSecretProvider } from './config-secret.provider';
import { EnvSecretProvider } from './env-secret.provider';
import { FileSecretProvider } from './file-secret.provider';
import { InvalidSecretRefError } from './secret.errors';
import { SecretProvider } from './secret-provider';
import { SECRET_SOURCES, SecretRef } from './secret-ref';

/** What the config loader needs from a resolver (lets tests pass their own). */
export interface SecretResolving {
  resolve(ref: SecretRef): Promise<string>;
}

export const SECRET_CACHE_TTL_MS = 60_000;

/**
 * Resolves SecretRefs through one provider per source. Values are cached briefly (keyed by
 * source and name) so a burst of requests does not hammer SSM, while a rotated secret is picked
 * up within a minute. Failures are not cached.
 */
export class SecretResolver implements SecretResolving {
  private readonly providers = new Map<string, SecretProvider>();
  private readonly cache = new Map<string, { value: Promise<string>; expiresAt: number }>();

  constructor(
    providers: readonly SecretProvider[],
    private readonly clock: Clock = new SystemClock(),
    private readonly ttlMs: number = SECRET_CACHE_TTL_MS,
  ) {
    for (const p of providers) this.providers.set(p.source, p);
  }

  async resolve(ref: SecretRef): Promise<string> {
    if (!(SECRET_SOURCES as readonly string[]).includes(ref.source)) {
      throw new InvalidSecretRefError(ref, `unknown source (known: ${SECRET_SOURCES.join(', ')})`);
    }
    const provider = this.providers.get(ref.source);
    if (!provider)
      throw new InvalidSecretRefError(ref, `source '${ref.source}' is not available here`);
    const key = `${ref.source}\u0000${ref.name}`;
    const now = this.clock.nowMs();
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    const value = provider.get({ source: ref.source, name: ref.name });
    this.cache.set(key, { value, expiresAt: now + this.ttlMs });
    value.catch(() => {
      if (this.cache.get(key)?.value === value) this.cache.delete(key);
    });
    return value;
  }

  /** Forgets cached values (e.g. after a key rotation was announced). */
  clear(): void {
    this.cache.clear();
  }

  /** Releases provider resources (the SSM client's sockets). Nest calls this on shutdown. */
  destroy(): void {
    this.cache.clear();
    for (const p of this.providers.values()) (p as Partial<{ destroy(): void }>).destroy?.();
  }

  onModuleDestroy(): void {
    this.destroy();
  }
}

export interface SecretResolverOptions {
  /** Source `env`: the environment captured at load time. */
  env: (name: string) => string | undefined;
  /** Source `config`: the config file's secrets map. */
  configSecret: (name: string) => string | undefined;
  aws: AwsSsmSecretProviderOptions;
  /** Base directory for relative `file` names (default: the working directory). */
  fileBaseDir?: string;
  clock?: Clock;
  ttlMs?: number;
}

/** A resolver with the four standard providers. */
export function createSecretResolver(options: SecretResolverOptions): SecretResolver {
  return new SecretResolver(
    [
      new EnvSecretProvider(options.env),
      new FileSecretProvider(options.fileBaseDir),
      new AwsSsmSecretProvider(options.aws),
      new ConfigSecretProvider(options.configSecret),
    ],
    options.clock,
    options.ttlMs,
  );
}
