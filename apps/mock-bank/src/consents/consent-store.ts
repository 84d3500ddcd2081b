import { randomUUID } from 'node:crypto';

export type ConsentKind = 'account-access' | 'domestic-payment' | 'domestic-vrp';

export interface StoredConsent {
  consentId: string;
  kind: ConsentKind;
  clientId: string;
  status: string;
  permissions?: string[];
  accountIds?: string[];
  psuId?: string;
  /** The OB response body's Data as last sent (status fields are kept in step by the store). */
  body: Record<string, unknown>;
  createdAt: string;
}

export class ConsentNotFoundError extends Error {
  constructor(readonly consentId: string) {
    super(`no consent ${consentId}`);
  }
}

/**
 * OB v4.0 consent status codes (ISO 20022 style; v3.1's `AwaitingAuthorisation`/`Authorised`
 * words are gone). The same codes serve account-access, payment and VRP consents; `CANC` is an
 * account-access consent the TPP deleted.
 */
export const CONSENT_STATUS = {
  awaitingAuthorisation: 'AWAU',
  authorised: 'AUTH',
  rejected: 'RJCT',
  revoked: 'CANC',
  expired: 'EXPD',
} as const;

/** In-memory consents of every kind; the mock bank forgets them on restart by design. */
export class ConsentStore {
  private readonly consents = new Map<string, StoredConsent>();

  /**
   * @param visibilityDelayMs quirk `postCreateConsentDelayMs`: an eventually consistent store,
   *   where a new consent is unknown (to GET, to the authorisation endpoint, to everything) for
   *   this long after its creation.
   */
  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly visibilityDelayMs = 0,
  ) {}

  create(c: Omit<StoredConsent, 'createdAt'>): StoredConsent {
    const stored: StoredConsent = { ...c, createdAt: this.now().toISOString() };
    this.consents.set(stored.consentId, stored);
    return clone(stored);
  }

  get(id: string): StoredConsent | undefined {
    const c = this.consents.get(id);
    if (!c) return undefined;
    if (this.now().getTime() < Date.parse(c.createdAt) + this.visibilityDelayMs) return undefined;
    return clone(c);
  }

  authorise(
    id: string,
    { psuId, accountIds }: { psuId: string; accountIds: string[] },
  ): StoredConsent {
    return this.update(id, {
      status: CONSENT_STATUS.authorised,
      psuId,
      accountIds: [...accountIds],
    });
  }

  reject(id: string): StoredConsent {
    return this.update(id, { status: CONSENT_STATUS.rejected });
  }

  revoke(id: string): StoredConsent {
    return this.update(id, { status: CONSENT_STATUS.revoked });
  }

  /** Changes the stored consent; a status change also moves Status/StatusUpdateDateTime in body. */
  update(
    id: string,
    patch: Partial<Omit<StoredConsent, 'consentId' | 'createdAt'>>,
  ): StoredConsent {
    const current = this.consents.get(id);
    if (!current) throw new ConsentNotFoundError(id);
    const next: StoredConsent = {
      ...current,
      ...patch,
      consentId: id,
      createdAt: current.createdAt,
    };
    if (patch.status !== undefined && patch.status !== current.status && !patch.body) {
      next.body = {
        ...current.body,
        Status: patch.status,
        StatusUpdateDateTime: this.now().toISOString(),
      };
    }
    this.consents.set(id, next);
    return clone(next);
  }

  static newId(prefix = 'aac'): string {
    return `${prefix}-${randomUUID()}`;
  }
}

function clone(c: StoredConsent): StoredConsent {
  return structuredClone(c);
}
