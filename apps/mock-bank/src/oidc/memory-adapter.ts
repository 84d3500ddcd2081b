import type { Adapter, AdapterConstructor, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt?: number;
}

/**
 * A per-provider in-memory adapter: each mock bank instance (tests start several) keeps its own
 * clients and tokens, and the DCR handlers create clients through it.
 */
export function createMemoryAdapter(): AdapterConstructor {
  const storage = new Map<string, Entry>();

  const get = (key: string): AdapterPayload | undefined => {
    const entry = storage.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      storage.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  return class MemoryAdapter implements Adapter {
    constructor(private readonly model: string) {}

    private key(id: string): string {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      storage.set(this.key(id), {
        payload,
        expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined,
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return get(this.key(id));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      for (const [key, entry] of storage) {
        if (key.startsWith(`${this.model}:`) && entry.payload.uid === uid) return get(key);
      }
      return undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      for (const [key, entry] of storage) {
        if (key.startsWith(`${this.model}:`) && entry.payload.userCode === userCode)
          return get(key);
      }
      return undefined;
    }

    async consume(id: string): Promise<void> {
      const payload = get(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string): Promise<void> {
      storage.delete(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [key, entry] of storage) {
        if (entry.payload.grantId === grantId) storage.delete(key);
      }
    }
  };
}
