import { Clock } from '@obc/common';
import type { ClientContext } from '@obc/token-management';
import {
  CLIENT_CONTEXT_TTL_MS,
  ClientContextCache,
  MAX_CACHED_CLIENT_CONTEXTS,
} from './client-context.cache';

class ManualClock extends Clock {
  private ms = Date.UTC(2026, 0, 1);
  override now(): Date {
    return new Date(this.ms);
  }
  advanceMs(ms: number): void {
    this.ms += ms;
  }
}

const context = (registrationId: string, clientId = 'client') =>
  ({ registrationId, clientId }) as ClientContext;

describe('ClientContextCache', () => {
  it('loads once per registration until the TTL passes', async () => {
    const clock = new ManualClock();
    const cache = new ClientContextCache(clock);
    const load = jest.fn(async () => context('r1'));
    await cache.get('r1', load);
    await cache.get('r1', load);
    expect(load).toHaveBeenCalledTimes(1);
    clock.advanceMs(CLIENT_CONTEXT_TTL_MS - 1);
    await cache.get('r1', load);
    expect(load).toHaveBeenCalledTimes(1);
    clock.advanceMs(1);
    await cache.get('r1', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('shares one load between concurrent callers', async () => {
    const cache = new ClientContextCache(new ManualClock());
    let resolve!: (c: ClientContext) => void;
    const load = jest.fn(() => new Promise<ClientContext>((r) => (resolve = r)));
    const both = Promise.all([cache.get('r1', load), cache.get('r1', load)]);
    resolve(context('r1'));
    const [a, b] = await both;
    expect(a).toBe(b);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed load', async () => {
    const cache = new ClientContextCache(new ManualClock());
    await expect(
      cache.get('r1', async () => {
        throw new Error('unknown registration');
      }),
    ).rejects.toThrow('unknown registration');
    expect(cache.size).toBe(0);
    await expect(cache.get('r1', async () => context('r1'))).resolves.toEqual(context('r1'));
  });

  it('clear() forgets every context, and a load in flight does not come back after it', async () => {
    const cache = new ClientContextCache(new ManualClock());
    await cache.get('r1', async () => context('r1', 'old'));
    let resolve!: (c: ClientContext) => void;
    const pending = cache.get('r2', () => new Promise<ClientContext>((r) => (resolve = r)));
    cache.clear();
    resolve(context('r2', 'old'));
    await pending;
    expect(cache.size).toBe(0);
    await expect(cache.get('r1', async () => context('r1', 'new'))).resolves.toMatchObject({
      clientId: 'new',
    });
    await expect(cache.get('r2', async () => context('r2', 'new'))).resolves.toMatchObject({
      clientId: 'new',
    });
  });

  it('is bounded: the oldest entry goes first', async () => {
    const cache = new ClientContextCache(new ManualClock());
    for (let i = 0; i <= MAX_CACHED_CLIENT_CONTEXTS; i++)
      await cache.get(`r${i}`, async () => context(`r${i}`));
    expect(cache.size).toBe(MAX_CACHED_CLIENT_CONTEXTS);
    const reload = jest.fn(async () => context('r0'));
    await cache.get('r0', reload);
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
