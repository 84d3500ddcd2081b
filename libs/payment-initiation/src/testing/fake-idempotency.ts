import type {
  IdempotencyService,
  IdempotentRequest,
  IdempotentWorkContext,
} from '@obc/persistence';
import { canonicalJson } from '@obc/persistence';

/**
 * An in-memory stand-in for IdempotencyService with its contract: the work runs once per
 * (scope, caller, key); a repeat replays the stored body; the key is generated when absent.
 */
export function fakeIdempotency(): Pick<IdempotencyService, 'run'> & {
  runs: number;
  /** The attempt the next run reports (2 simulates a take-over of a crashed holder's record). */
  attempt: number;
} {
  const done = new Map<string, { status: number; body: unknown; hash: string }>();
  let generated = 0;
  const fake = {
    runs: 0,
    attempt: 1,
    run: async <T>(
      input: IdempotentRequest,
      work: (ctx: IdempotentWorkContext) => Promise<{
        status: number;
        body: T;
      }>,
    ) => {
      const key = input.key ?? `generated-${++generated}`;
      const id = `${input.scope}|${input.callerId}|${key}`;
      const hash = canonicalJson(input.request);
      const earlier = done.get(id);
      if (earlier) {
        if (earlier.hash !== hash) throw new Error('idempotency/key-reused');
        return { status: earlier.status, body: earlier.body as T, key, replayed: true };
      }
      fake.runs += 1;
      const result = await work({
        bankIdempotencyKey: `bank-${key}`,
        recordId: 'rec-1',
        attempt: fake.attempt,
      });
      done.set(id, { status: result.status, body: result.body, hash });
      return { status: result.status, body: result.body, key, replayed: false };
    },
  };
  return fake;
}
