import type { BankCallPolicy } from './bank-call-policy';

/** Why a call got no slot: the queue was full, or it waited longer than the queue timeout. */
export class SlotUnavailable extends Error {
  constructor(
    readonly reason: 'queue-full' | 'queue-timeout',
    readonly waitedMs: number,
  ) {
    super(reason);
  }
}

interface Waiter {
  grant: (release: () => void) => void;
  timer: NodeJS.Timeout;
}

/**
 * One bank's calls in flight: at most `maxConcurrent` at once, the rest wait first come first
 * served, each for at most `queueTimeoutMs`, and no more than `queueLimit` of them.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly queue: Waiter[] = [];

  constructor(private settings: BankCallPolicy['concurrency']) {}

  configure(settings: BankCallPolicy['concurrency']): void {
    this.settings = settings;
    this.drain();
  }

  get inFlight(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Resolves with a release function (call it exactly once), or rejects with SlotUnavailable. */
  acquire(): Promise<() => void> {
    if (this.active < this.settings.maxConcurrent && this.queue.length === 0) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.queue.length >= this.settings.queueLimit)
      return Promise.reject(new SlotUnavailable('queue-full', 0));
    const timeoutMs = this.settings.queueTimeoutMs;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: resolve,
        timer: setTimeout(() => {
          const at = this.queue.indexOf(waiter);
          if (at >= 0) this.queue.splice(at, 1);
          reject(new SlotUnavailable('queue-timeout', timeoutMs));
        }, timeoutMs),
      };
      this.queue.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.drain();
    };
  }

  private drain(): void {
    while (this.active < this.settings.maxConcurrent && this.queue.length > 0) {
      const next = this.queue.shift() as Waiter;
      clearTimeout(next.timer);
      this.active += 1;
      next.grant(this.releaser());
    }
  }
}
