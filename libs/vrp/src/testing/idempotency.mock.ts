import type {
  IdempotencyService,
  IdempotentRequest,
  IdempotentWorkContext,
} from '@obc/persistence';
import { strictMock } from '@obc/test-support/strict-mock';

/** Runs the work once with a fixed bank key, as IdempotencyService does on a first request
 * (or, with attempt > 1, on a take-over). */
export function idempotencyRunningWork(bankIdempotencyKey = 'derived-bank-key', attempt = 1) {
  return strictMock<IdempotencyService>({
    run: jest.fn(
      async (
        input: IdempotentRequest,
        work: (ctx: IdempotentWorkContext) => Promise<{ status: number; body: unknown }>,
      ) => {
        const result = await work({ bankIdempotencyKey, recordId: 'rec-1', attempt });
        return { ...result, key: input.key ?? 'generated-key', replayed: false };
      },
    ),
  });
}
