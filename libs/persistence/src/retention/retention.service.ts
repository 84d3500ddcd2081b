import {
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { ConnectorConfig } from '@obc/config';

/** One kind of row that outlives its use: deletes those older than `cutoff`, returns how many. */
export interface RetentionSweep {
  /** What is swept, for the log line (a table name, never row content). */
  name: string;
  purgeOlderThan(cutoff: Date): Promise<number>;
}

export interface RetentionSettings {
  /** Rows past their use are kept this many days, then deleted. */
  days: number;
  /** Minutes between sweeps (the first runs at start-up). */
  sweepMinutes: number;
}

export const DEFAULT_RETENTION: RetentionSettings = { days: 30, sweepMinutes: 60 };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Housekeeping: rows that are only history once used (redeemed or expired auth contexts,
 * settled idempotency records) are deleted `days` after their last use, so those tables do not
 * grow for ever. Modules register their sweeps at init; each replica sweeps on its own timer.
 * Concurrent sweeps from several replicas are harmless: each is one DELETE of rows past a
 * cutoff. A failing sweep (database down) is logged and tried again at the next tick.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private readonly sweeps: RetentionSweep[] = [];
  private readonly settings: RetentionSettings;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(@Optional() config?: ConnectorConfig) {
    this.settings = config?.retention ?? DEFAULT_RETENTION;
  }

  register(sweep: RetentionSweep): void {
    this.sweeps.push(sweep);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweepNow(), this.settings.sweepMinutes * 60_000);
    this.timer.unref();
    void this.sweepNow();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs every sweep once (one pass at a time); resolves when done. */
  sweepNow(now = new Date()): Promise<void> {
    this.running ??= this.pass(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(now: Date): Promise<void> {
    const cutoff = new Date(now.getTime() - this.settings.days * DAY_MS);
    for (const sweep of this.sweeps) {
      try {
        const deleted = await sweep.purgeOlderThan(cutoff);
        if (deleted > 0)
          this.logger.log(
            `retention: deleted ${deleted} ${sweep.name} rows older than ${cutoff.toISOString()}`,
          );
      } catch (error: unknown) {
        const code = error instanceof Error && 'code' in error ? String(error.code) : 'error';
        this.logger.warn(`retention: sweeping ${sweep.name} failed (${code}); tried again later`);
      }
    }
  }
}
