import { Logger } from '@nestjs/common';
import type { ConnectorConfig } from '@obc/config';
import { RetentionService, type RetentionSweep } from './retention.service';

describe('RetentionService', () => {
  const config = { retention: { days: 30, sweepMinutes: 5 } } as ConnectorConfig;
  const now = new Date('2026-12-06T12:00:00Z');
  const expectedCutoff = new Date('2026-11-06T12:00:00Z');

  beforeAll(() => Logger.overrideLogger(false));

  it('gives every sweep the cutoff `days` before now, and goes on past a failing one', async () => {
    const service = new RetentionService(config);
    const seen: Date[] = [];
    const failing: RetentionSweep = {
      name: 'broken',
      purgeOlderThan: () =>
        Promise.reject(Object.assign(new Error('down'), { code: 'ECONNREFUSED' })),
    };
    const working: RetentionSweep = {
      name: 'table',
      purgeOlderThan: (cutoff) => {
        seen.push(cutoff);
        return Promise.resolve(3);
      },
    };
    service.register(failing);
    service.register(working);
    await service.sweepNow(now);
    expect(seen).toEqual([expectedCutoff]);
  });

  it('runs one pass at a time, at start-up and then every sweepMinutes, and stops on shutdown', async () => {
    jest.useFakeTimers({ now });
    const service = new RetentionService(config);
    let calls = 0;
    let release: () => void = () => undefined;
    service.register({
      name: 'slow',
      purgeOlderThan: () =>
        new Promise<number>((resolve) => {
          calls++;
          release = () => resolve(0);
        }),
    });
    try {
      service.onApplicationBootstrap();
      expect(calls).toBe(1);
      // A tick while the first pass still runs joins it instead of starting another.
      jest.advanceTimersByTime(5 * 60_000);
      expect(calls).toBe(1);
      release();
      await Promise.resolve();
      await Promise.resolve();
      jest.advanceTimersByTime(5 * 60_000);
      expect(calls).toBe(2);
      release();
      await service.onApplicationShutdown();
      jest.advanceTimersByTime(60 * 60_000);
      expect(calls).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
