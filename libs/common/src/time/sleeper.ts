/**
 * Waiting as a provider, so tests see each wait without spending it (profile quirk
 * `quirks.postCreateConsentDelayMs`).
 */
export abstract class Sleeper {
  abstract sleep(ms: number): Promise<void>;
}

export class TimerSleeper extends Sleeper {
  sleep(ms: number): Promise<void> {
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  }
}
