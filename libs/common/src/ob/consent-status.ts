/**
 * Consent statuses in the connector's vocabulary: the OB v4.0 codes. Banks on v3.1.x send the
 * words of that version; both are translated here, once, at the edge.
 */
export const CONSENT_STATUS = {
  awaitingAuthorisation: 'AWAU',
  authorised: 'AUTH',
  rejected: 'RJCT',
  cancelled: 'CANC',
  expired: 'EXPD',
  consumed: 'COND',
} as const;

export type ConsentStatusCode = (typeof CONSENT_STATUS)[keyof typeof CONSENT_STATUS];

const FROM_V3_WORDS: Readonly<Record<string, ConsentStatusCode>> = {
  AwaitingAuthorisation: 'AWAU',
  Authorised: 'AUTH',
  Rejected: 'RJCT',
  Revoked: 'CANC',
  Expired: 'EXPD',
  Consumed: 'COND',
};

/** The v4.0 code for a bank's status (a v4.0 code or a v3.1.x word); unknown values are kept. */
export function toConsentStatusCode(bankStatus: string): string {
  return FROM_V3_WORDS[bankStatus] ?? bankStatus;
}
