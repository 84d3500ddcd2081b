import { randomBytes, randomUUID } from 'node:crypto';

/** Time as a provider, so tests can move it (STYLE 5). */
export abstract class Clock {
  abstract now(): Date;
  nowMs(): number {
    return this.now().getTime();
  }
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
  override nowMs(): number {
    return Date.now();
  }
}

/** Randomness as a provider. */
export abstract class RandomSource {
  abstract uuid(): string;
  /** URL-safe random string of `bytes` random bytes (base64url). */
  abstract token(bytes?: number): string;
  /** A uniformly distributed number in [0, 1), e.g. for retry jitter (optional for fakes). */
  fraction?(): number;
}

export class CryptoRandomSource extends RandomSource {
  uuid(): string {
    return randomUUID();
  }
  token(bytes = 32): string {
    return randomBytes(bytes).toString('base64url');
  }
  override fraction(): number {
    return randomBytes(6).readUIntBE(0, 6) / 2 ** 48;
  }
}
