/** Waiting as a provider (e.g. a profile's postCreateConsentDelayMs), so tests need not wait. */
export abstract class Sleeper {
  abstract sleep(ms: number): Promise<void>;
}

export class TimerSleeper extends Sleeper {
  sleep(ms: number): Promise<void> {
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  }
}
