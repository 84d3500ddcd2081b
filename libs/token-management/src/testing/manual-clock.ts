import { Clock } from '@obc/common';

/** A clock the test moves by hand. */
export class ManualClock extends Clock {
  constructor(private ms = Date.UTC(2026, 0, 1, 12, 0, 0)) {
    super();
  }
  now(): Date {
    return new Date(this.ms);
  }
  advanceSeconds(seconds: number): void {
    this.ms += seconds * 1000;
  }
}
