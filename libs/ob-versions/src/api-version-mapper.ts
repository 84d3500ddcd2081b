import {
  accountAccessConsentRequestToV3,
  accountAccessConsentResponseToV4,
  aispReadResponseToV4,
} from './v3-1-11/account-access';
import { CONSENT_STATUS, PAYMENT_STATUS } from './v3-1-11/codes';
import {
  V3_DOMESTIC_CONSENT_SHAPE,
  V3_DOMESTIC_PAYMENT_SHAPE,
  V3_VRP_CONSENT_SHAPE,
  V3_VRP_FUNDS_CONFIRMATION_SHAPE,
  V3_VRP_SHAPE,
} from './v3-1-11/payment-shapes';
import { paymentDetailsToV4, paymentRequestToV3, paymentResponseToV4 } from './v3-1-11/payments';
import { assertShape } from './v3-1-11/shape';

type Json = Record<string, unknown>;

/**
 * The connector speaks OB v4.0. A bank profile may put an API on v3.1.11; its bank client then
 * sends requests through `...Request` (v4.0 → the bank's version; a field the version cannot
 * carry is refused with `bank-profile/unsupported-by-version` before any bank call) and reads
 * responses through `...Response` (the bank's version → v4.0). On v4.0 every function is the
 * identity.
 */
export type ObApiVersion = 'v4.0' | 'v3.1.11';

export interface AccountAccessVersionMapper {
  readonly version: ObApiVersion;
  consentRequest(body: Json): Json;
  consentResponse(body: unknown): unknown;
  /** Every AISP read. */
  readResponse(body: unknown): unknown;
}

export interface PaymentInitiationVersionMapper {
  readonly version: ObApiVersion;
  consentRequest(body: Json): Json;
  consentResponse(body: unknown): unknown;
  fundsConfirmationResponse(body: unknown): unknown;
  paymentRequest(body: Json): Json;
  paymentResponse(body: unknown): unknown;
  paymentDetailsResponse(body: unknown): unknown;
}

export interface VrpVersionMapper {
  readonly version: ObApiVersion;
  consentRequest(body: Json): Json;
  consentResponse(body: unknown): unknown;
  fundsConfirmationRequest(body: Json): Json;
  fundsConfirmationResponse(body: unknown): unknown;
  paymentRequest(body: Json): Json;
  paymentResponse(body: unknown): unknown;
  paymentDetailsResponse(body: unknown): unknown;
}

const same = <T>(body: T): T => body;

const V4_ACCOUNT_ACCESS: AccountAccessVersionMapper = {
  version: 'v4.0',
  consentRequest: same,
  consentResponse: same,
  readResponse: same,
};

const V3_ACCOUNT_ACCESS: AccountAccessVersionMapper = {
  version: 'v3.1.11',
  consentRequest: accountAccessConsentRequestToV3,
  consentResponse: accountAccessConsentResponseToV4,
  readResponse: aispReadResponseToV4,
};

const V4_PAYMENT_INITIATION: PaymentInitiationVersionMapper = {
  version: 'v4.0',
  consentRequest: same,
  consentResponse: same,
  fundsConfirmationResponse: same,
  paymentRequest: same,
  paymentResponse: same,
  paymentDetailsResponse: same,
};

const V3_PAYMENT_INITIATION: PaymentInitiationVersionMapper = {
  version: 'v3.1.11',
  consentRequest: (body) => paymentRequestToV3(body, V3_DOMESTIC_CONSENT_SHAPE),
  consentResponse: (body) => paymentResponseToV4(body, CONSENT_STATUS),
  // OBWriteFundsConfirmationResponse1 is the same in both versions.
  fundsConfirmationResponse: same,
  paymentRequest: (body) => paymentRequestToV3(body, V3_DOMESTIC_PAYMENT_SHAPE),
  paymentResponse: (body) => paymentResponseToV4(body, PAYMENT_STATUS),
  paymentDetailsResponse: paymentDetailsToV4,
};

const V4_VRP: VrpVersionMapper = {
  version: 'v4.0',
  consentRequest: same,
  consentResponse: same,
  fundsConfirmationRequest: same,
  fundsConfirmationResponse: same,
  paymentRequest: same,
  paymentResponse: same,
  paymentDetailsResponse: same,
};

const V3_VRP: VrpVersionMapper = {
  version: 'v3.1.11',
  consentRequest: (body) => paymentRequestToV3(body, V3_VRP_CONSENT_SHAPE),
  consentResponse: (body) => paymentResponseToV4(body, CONSENT_STATUS),
  fundsConfirmationRequest: (body) => {
    assertShape(body, V3_VRP_FUNDS_CONFIRMATION_SHAPE, '');
    return body;
  },
  // OBVRPFundsConfirmationResponse is the same in both versions.
  fundsConfirmationResponse: same,
  paymentRequest: (body) => paymentRequestToV3(body, V3_VRP_SHAPE),
  paymentResponse: (body) => paymentResponseToV4(body, PAYMENT_STATUS),
  paymentDetailsResponse: paymentDetailsToV4,
};

/** The mapper for a profile's `apis.accountAndTransaction.version` (absent: v4.0). */
export function accountAccessMapper(version: string | undefined): AccountAccessVersionMapper {
  return version === 'v3.1.11' ? V3_ACCOUNT_ACCESS : V4_ACCOUNT_ACCESS;
}

/** The mapper for a profile's `apis.paymentInitiation.version` (absent: v4.0). */
export function paymentInitiationMapper(
  version: string | undefined,
): PaymentInitiationVersionMapper {
  return version === 'v3.1.11' ? V3_PAYMENT_INITIATION : V4_PAYMENT_INITIATION;
}

/** The mapper for a profile's `apis.variableRecurringPayments.version` (absent: v4.0). */
export function vrpMapper(version: string | undefined): VrpVersionMapper {
  return version === 'v3.1.11' ? V3_VRP : V4_VRP;
}
