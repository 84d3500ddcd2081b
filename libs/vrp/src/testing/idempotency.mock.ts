import type {
  IdempotencyService,
  IdempotentRequest,
  IdempotentWorkContext,
} from '@obc/persistence';
import { strictMock } from '@obc/test-support/strict-mock';

/** Runs the work once with a fixed bank key, as IdempotencyService does on a first request. */
export function idempotencyRunningWork(bankIdempotencyKey = 'derived-bank-key') {
  return strictMock<IdempotencyService>({
    run: jest.fn(
      async (
        input: IdempotentRequest,
        work: (ctx: IdempotentWorkContext) => Promise<{ status: number; body: unknown }>,
      ) => {
        const result = await work({ bankIdempotencyKey, recordId: 'rec-1' });
        return { ...result, key: input.key ?? 'generated-key', replayed: false };
      },
    ),
  });
}
