import type { DomesticPaymentConsentEntity } from './domestic-payment-consent.entity';

/** OBWriteDomesticConsent4 (v4.0) as validated by the DTOs. */
export interface ObWriteDomesticConsent {
  Data: { Initiation: { InstructedAmount: { Amount: string; Currency: string } } };
  Risk: object;
}

export interface CreateDomesticPaymentConsent {
  bankRegistrationId: string;
  externalApiRequest: ObWriteDomesticConsent;
  reference: string | null;
  createdBy: string | null;
}

/** What the API returns for a consent; stored as JSON by the idempotency record. */
export interface DomesticPaymentConsentView {
  id: string;
  created: string;
  createdBy: string | null;
  reference: string | null;
  bankRegistrationId: string;
  externalApiId: string;
  status: string;
  authorisedAt: string | null;
  externalApiResponse: Record<string, unknown>;
}

export function consentView(row: DomesticPaymentConsentEntity): DomesticPaymentConsentView {
  return {
    id: row.id,
    created: new Date(row.created).toISOString(),
    createdBy: row.createdBy,
    reference: row.reference,
    bankRegistrationId: row.bankRegistrationId,
    externalApiId: row.externalApiId,
    status: row.status,
    authorisedAt: row.authorisedAt ? new Date(row.authorisedAt).toISOString() : null,
    externalApiResponse: row.externalApiResponse,
  };
}
