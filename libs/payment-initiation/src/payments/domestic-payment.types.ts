import type { DomesticPaymentEntity } from './domestic-payment.entity';

/** OBWriteDomestic2 (v4.0) as validated by the DTOs. */
export interface ObWriteDomestic {
  Data: { ConsentId: string; Initiation: Record<string, unknown> };
  Risk?: Record<string, unknown>;
}

export interface CreateDomesticPayment {
  domesticPaymentConsentId: string;
  externalApiRequest: ObWriteDomestic | null;
  reference: string | null;
  createdBy: string | null;
}

/** What the API returns for a payment; stored as JSON by the idempotency record. */
export interface DomesticPaymentView {
  id: string;
  created: string;
  createdBy: string | null;
  reference: string | null;
  domesticPaymentConsentId: string;
  externalApiId: string;
  status: string;
  externalApiResponse: Record<string, unknown>;
}

export function paymentView(row: DomesticPaymentEntity): DomesticPaymentView {
  return {
    id: row.id,
    created: new Date(row.created).toISOString(),
    createdBy: row.createdBy,
    reference: row.reference,
    domesticPaymentConsentId: row.domesticPaymentConsentId,
    externalApiId: row.externalApiId,
    status: row.status,
    externalApiResponse: row.externalApiResponse,
  };
}
