/** What the token layer reports; the metrics module binds a Prometheus implementation. */
export type TokenCacheKind = 'client-credentials' | 'discovery';

export abstract class TokenMetrics {
  abstract cacheHit(kind: TokenCacheKind): void;
  abstract cacheMiss(kind: TokenCacheKind): void;
}

export class NoopTokenMetrics extends TokenMetrics {
  cacheHit(): void {}
  cacheMiss(): void {}
}
