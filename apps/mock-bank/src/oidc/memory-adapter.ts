import type { Adapter, AdapterConstructor, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt?: number;
}

/** The provider's in-memory store, shared with admin controls that expire tokens on demand. */
export class MemoryStorage {
  readonly entries = new Map<string, Entry>();

  get(key: string): AdapterPayload | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  /** Drops every stored `model` whose payload matches; returns how many went. */
  deleteWhere(model: string, matches: (payload: AdapterPayload) => boolean): number {
    let n = 0;
    for (const [key, entry] of this.entries) {
      if (key.startsWith(`${model}:`) && matches(entry.payload)) {
        this.entries.delete(key);
        n += 1;
      }
    }
    return n;
  }
}

/**
 * A per-provider in-memory adapter: each mock bank instance (tests start several) keeps its own
 * clients and tokens, and the DCR handlers create clients through it.
 */
export function createMemoryAdapter(storage = new MemoryStorage()): AdapterConstructor {
  const get = (key: string) => storage.get(key);

  return class MemoryAdapter implements Adapter {
    constructor(private readonly model: string) {}

    private key(id: string): string {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      storage.entries.set(this.key(id), {
        payload,
        expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined,
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return get(this.key(id));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      for (const [key, entry] of storage.entries) {
        if (key.startsWith(`${this.model}:`) && entry.payload.uid === uid) return get(key);
      }
      return undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      for (const [key, entry] of storage.entries) {
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
      storage.entries.delete(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [key, entry] of storage.entries) {
        if (entry.payload.grantId === grantId) storage.entries.delete(key);
      }
    }
  };
}
