/** Waiting between retries, as a provider so tests move a fake clock instead of sleeping. */
export abstract class Sleeper {
  abstract sleep(ms: number): Promise<void>;
}

export class TimerSleeper extends Sleeper {
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
