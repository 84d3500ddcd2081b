export type LedgerEventType =
  | 'registration.created'
  | 'registration.rejected'
  | 'registration.read'
  | 'registration.updated'
  | 'registration.deleted'
  | 'token.granted'
  /** The token-delay fault: a request (or answer) held, dropped unprocessed, or answer lost. */
  | 'token.delayed'
  | 'token.abandoned'
  | 'token.answer-lost'
  | 'directory.token'
  | 'directory.ssa'
  | 'ais.read'
  | 'spec.rejected'
  | 'spec.response-invalid'
  | 'payment.created'
  | 'payment.idempotent-replay'
  | 'payment.refused'
  | 'vrp.created'
  | 'vrp.refused'
  | 'jws.rejected'
  | 'network.fault';

export interface LedgerEvent {
  type: LedgerEventType;
  at: string;
  clientId?: string;
  softwareId?: string;
  grantType?: string;
  /** For token grants tied to a consent (authorization_code, refresh_token). */
  consentId?: string;
  /** For resource-server events: the endpoint read or refused. */
  endpoint?: string;
  /** For payment and VRP events: the payment the bank created. */
  paymentId?: string;
  /**
   * The x-idempotency-key: of the create for payment events (a replay names the key it matched),
   * or the one the request carried for network faults.
   */
  idempotencyKey?: string;
  error?: string;
  /** For network faults that read the request: SHA-256 (hex) of its body. */
  bodySha256?: string;
}

export interface LedgerSnapshot {
  counts: {
    registrations: number;
    registrationRejections: number;
    registerReads: number;
    registerUpdates: number;
    registerDeletes: number;
    tokenGrants: Record<string, number>;
    tokenGrantsByClient: Record<string, Record<string, number>>;
  };
  events: LedgerEvent[];
}

/** What the bank saw, for tests and the demo to assert on (e.g. "the token was cached"). */
export class Ledger {
  private events: LedgerEvent[] = [];
  /**
   * Every credential the bank or directory handed out (tokens, client secrets, SSAs), so tests can
   * prove none of them reaches the connector's database or logs in clear. Test-only, like /__admin.
   */
  private issued: { kind: string; value: string }[] = [];

  recordIssued(kind: string, value: unknown): void {
    if (typeof value === 'string' && value.length > 0) this.issued.push({ kind, value });
  }

  issuedSecrets(): { kind: string; value: string }[] {
    return [...this.issued];
  }

  record(event: Omit<LedgerEvent, 'at'>): void {
    this.events.push({ ...event, at: new Date().toISOString() });
  }

  reset(): void {
    this.events = [];
    this.issued = [];
  }

  snapshot(): LedgerSnapshot {
    return { counts: this.counts(), events: [...this.events] };
  }

  counts(): LedgerSnapshot['counts'] {
    const count = (type: LedgerEventType) => this.events.filter((e) => e.type === type).length;
    const tokenGrants: Record<string, number> = {};
    const tokenGrantsByClient: Record<string, Record<string, number>> = {};
    for (const e of this.events) {
      if (e.type !== 'token.granted' || !e.grantType) continue;
      tokenGrants[e.grantType] = (tokenGrants[e.grantType] ?? 0) + 1;
      const perClient = (tokenGrantsByClient[e.clientId ?? 'unknown'] ??= {});
      perClient[e.grantType] = (perClient[e.grantType] ?? 0) + 1;
    }
    return {
      registrations: count('registration.created'),
      registrationRejections: count('registration.rejected'),
      registerReads: count('registration.read'),
      registerUpdates: count('registration.updated'),
      registerDeletes: count('registration.deleted'),
      tokenGrants,
      tokenGrantsByClient,
    };
  }
}
