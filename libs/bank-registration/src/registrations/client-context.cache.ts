import { Injectable } from '@nestjs/common';
import { Clock } from '@obc/common';
import type { ClientContext } from '@obc/token-management';

/**
 * How long a replica reuses a registration's ClientContext. Changes made on this replica clear
 * the cache at once; a change made on another replica (a registration, software statement or
 * certificate deleted, a statement pointed at other certificates) is seen within this time.
 */
export const CLIENT_CONTEXT_TTL_MS = 30_000;
/** Registrations whose context one replica keeps; beyond this the oldest entry is dropped. */
export const MAX_CACHED_CLIENT_CONTEXTS = 1_000;

interface Entry {
  context: Promise<ClientContext>;
  expiresAtMs: number;
}

/**
 * ClientContexts by registration id, so a bank call does not re-read the registration, its
 * software statement and certificates, re-resolve private keys and re-decrypt the client secret
 * on every request. Concurrent callers share one load; a failed load is not kept; clear()
 * (called by every change to registrations, statements and certificates) drops everything,
 * including loads still in flight.
 */
@Injectable()
export class ClientContextCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  get(registrationId: string, load: () => Promise<ClientContext>): Promise<ClientContext> {
    const now = this.clock.nowMs();
    const cached = this.entries.get(registrationId);
    if (cached && cached.expiresAtMs > now) return cached.context;
    if (cached) this.entries.delete(registrationId);
    while (this.entries.size >= MAX_CACHED_CLIENT_CONTEXTS) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    const context = load();
    const entry: Entry = { context, expiresAtMs: now + CLIENT_CONTEXT_TTL_MS };
    this.entries.set(registrationId, entry);
    context.catch(() => {
      if (this.entries.get(registrationId) === entry) this.entries.delete(registrationId);
    });
    return context;
  }

  /** Forget every context (a registration, statement or certificate changed). */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
